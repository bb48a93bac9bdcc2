package dev.ldd.launcher.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The record of one process a runtime started: {@code <stateDirectory>/<daemonId>/<pid>.pid}. It outlives
 * the daemon, so the next run can find and kill the orphans of a crashed one. The start instant guards
 * against a recycled pid: a process with the same pid but another start time is not ours.
 */
record PidFile(Path file, long pid, Optional<Instant> started, String instanceId, String function) {
  static PidFile write(Path dir, ProcessHandle process, String instanceId, String function) throws IOException {
    Path file = dir.resolve(process.pid() + ".pid");
    Optional<Instant> started = process.info().startInstant();
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(process.pid()));
    started.ifPresent(s -> p.setProperty("started", s.toString()));
    p.setProperty("instance", instanceId);
    p.setProperty("function", function);
    Path tmp = dir.resolve(process.pid() + ".pid.tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "ldd process runtime");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return new PidFile(file, process.pid(), started, instanceId, function);
  }

  /** Reads a pid file; empty when it is unreadable or half-written (then it is not worth acting on). */
  static Optional<PidFile> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      long pid = Long.parseLong(p.getProperty("pid", ""));
      Optional<Instant> started = Optional.ofNullable(p.getProperty("started")).map(Instant::parse);
      return Optional.of(new PidFile(file, pid, started, p.getProperty("instance", ""), p.getProperty("function", "")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The process, if it is still alive and is the one this file recorded. */
  Optional<ProcessHandle> liveProcess() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> started.isEmpty()
        || h.info().startInstant().map(s -> s.equals(started.get())).orElse(true));
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

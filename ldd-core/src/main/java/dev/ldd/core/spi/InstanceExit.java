package dev.ldd.core.spi;

/**
 * How an instance ended.
 *
 * @param exitCode the process exit code, or -1 when unknown
 * @param reason a short human-readable reason ("killed", "exited", "oom-killed", "stopped")
 */
public record InstanceExit(int exitCode, String reason) {}

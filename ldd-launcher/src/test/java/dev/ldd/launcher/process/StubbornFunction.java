package dev.ldd.launcher.process;

import java.util.concurrent.locks.LockSupport;

/** A stand-in function process that does not exit on SIGTERM: its shutdown hook never returns. */
public final class StubbornFunction {
  public static void main(String[] args) throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      while (true) {
        LockSupport.park();
      }
    }));
    ListeningFunction.main(args);
  }
}

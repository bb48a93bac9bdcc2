package dev.ldd.launcher.process;

/** A stand-in function process that fails at once, as one with a broken configuration would. */
public final class FailingFunction {
  public static void main(String[] args) {
    System.err.println("starting");
    System.err.println("boom: cannot read /etc/fn.conf");
    System.exit(3);
  }
}

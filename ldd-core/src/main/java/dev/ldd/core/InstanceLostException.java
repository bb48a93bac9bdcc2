package dev.ldd.core;

/** The connection to an instance was lost or the instance exited while invocations were in flight. */
public class InstanceLostException extends LddException {
  public InstanceLostException(String message) {
    super(message);
  }

  public InstanceLostException(String message, Throwable cause) {
    super(message, cause);
  }
}

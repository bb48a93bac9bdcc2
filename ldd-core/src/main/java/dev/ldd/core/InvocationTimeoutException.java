package dev.ldd.core;

/** An invocation's deadline passed before its result arrived. */
public class InvocationTimeoutException extends LddException {
  public InvocationTimeoutException(String message) {
    super(message);
  }
}

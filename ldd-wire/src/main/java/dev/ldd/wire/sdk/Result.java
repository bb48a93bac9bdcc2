package dev.ldd.wire.sdk;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link Handler} answers.
 *
 * @param code OK, ERROR or REJECT
 * @param error what went wrong; empty for OK
 */
public record Result(Code code, String error) {
  /** The standard result codes. */
  public enum Code {
    /** Done: the message may be acknowledged. */
    OK,
    /** Failed, worth retrying: the message goes back to the bus. */
    ERROR,
    /** The message is poison: dead-letter it, never retry. */
    REJECT
  }

  private static final Result OK = new Result(Code.OK, "");

  public Result {
    requireNonNull(code, "code");
    error = error == null ? "" : error;
  }

  public static Result ok() {
    return OK;
  }

  public static Result error(String error) {
    return new Result(Code.ERROR, error);
  }

  public static Result reject(String error) {
    return new Result(Code.REJECT, error);
  }
}

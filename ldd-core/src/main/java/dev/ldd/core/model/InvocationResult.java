package dev.ldd.core.model;

import static java.util.Objects.requireNonNull;

/**
 * A function's answer to one invocation.
 *
 * @param code OK, ERROR or REJECT
 * @param error what went wrong (empty for OK)
 */
public record InvocationResult(ResultCode code, String error) {
  private static final InvocationResult OK = new InvocationResult(ResultCode.OK, "");

  public InvocationResult {
    requireNonNull(code, "code");
    error = error == null ? "" : error;
  }

  public static InvocationResult ok() {
    return OK;
  }

  public static InvocationResult error(String error) {
    return new InvocationResult(ResultCode.ERROR, error);
  }

  public static InvocationResult reject(String error) {
    return new InvocationResult(ResultCode.REJECT, error);
  }

  public boolean isOk() {
    return code == ResultCode.OK;
  }
}

package dev.ldd.core.model;

/** When the publications a function makes during an invocation go to the bus. */
public enum PublishMode {
  /** Held until the function returns OK, then sent; a failed attempt leaks no output. The default. */
  BUFFERED,
  /** Sent at once; the input is still acknowledged only after all of them are confirmed. */
  IMMEDIATE
}

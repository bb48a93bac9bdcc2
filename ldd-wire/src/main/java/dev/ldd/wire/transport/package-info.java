/**
 * The daemon side: {@link dev.ldd.wire.transport.TcpFunctionTransport}, the core
 * {@code FunctionTransport} over TCP. Needs ldd-core and SLF4J on the class path.
 */
package dev.ldd.wire.transport;

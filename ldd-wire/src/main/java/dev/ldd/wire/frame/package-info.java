/**
 * Framing and connection plumbing of the wire protocol (PROTOCOL.md), shared by the daemon-side
 * transport, the function SDK and the conformance kit: {@link dev.ldd.wire.frame.FrameReader} and
 * {@link dev.ldd.wire.frame.FrameWriter} (varint32-length-prefixed protobuf frames, size-checked before
 * allocation), {@link dev.ldd.wire.frame.FrameChannel} (one reader and one writer thread per
 * connection: the function side's single connection), {@link dev.ldd.wire.frame.NioFrameChannel} and
 * {@link dev.ldd.wire.frame.IoLoop} (connections without threads of their own, read by a shared
 * selector thread: the daemon side's many connections) and {@link dev.ldd.wire.frame.Dialer} (connect
 * until the first frame arrives). Refers to protobuf and the JDK only, never to ldd-core, so that
 * function images need neither.
 */
package dev.ldd.wire.frame;

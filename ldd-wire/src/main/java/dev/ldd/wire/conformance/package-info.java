/**
 * The conformance kit, which checks any wrapper over a socket, and the conformance function it needs,
 * on the Java SDK. Needs protobuf-java only.
 */
package dev.ldd.wire.conformance;

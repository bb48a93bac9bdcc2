/**
 * The Java function SDK: implement {@link dev.ldd.wire.sdk.Handler} and call
 * {@link dev.ldd.wire.sdk.LddFunction#serve} from {@code main}. Needs protobuf-java only.
 */
package dev.ldd.wire.sdk;

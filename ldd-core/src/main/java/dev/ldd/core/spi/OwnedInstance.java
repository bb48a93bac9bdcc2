package dev.ldd.core.spi;

/**
 * An instance a runtime holds on behalf of a daemon, as listed by {@link ContainerRuntime#listOwned}:
 * possibly left by an earlier run of the same daemon.
 *
 * @param nativeId the runtime's id for it
 * @param instanceId the engine's id it was started under, when known
 * @param function the function's name, when known
 * @param running whether it is still running
 */
public record OwnedInstance(String nativeId, String instanceId, String function, boolean running) {}

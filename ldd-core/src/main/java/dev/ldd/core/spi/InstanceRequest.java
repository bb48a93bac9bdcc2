package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.model.FunctionSpec;

/**
 * What the engine asks a {@link ContainerRuntime} to start.
 *
 * @param instanceId unique for the daemon's lifetime, such as {@code enrich-3}; runtimes use it in names
 * @param daemonId the daemon's id, for labelling what it owns
 * @param function the function to run
 */
public record InstanceRequest(String instanceId, String daemonId, FunctionSpec function) {
  public InstanceRequest {
    requireNonNull(instanceId, "instanceId");
    requireNonNull(daemonId, "daemonId");
    requireNonNull(function, "function");
  }
}

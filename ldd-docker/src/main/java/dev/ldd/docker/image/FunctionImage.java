package dev.ldd.docker.image;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function image on the engine.
 *
 * @param tag its tag
 * @param imageId the engine's id for it
 * @param contentHash the hash of what went into it; an image with the same tag and hash is not rebuilt
 * @param cached true when an existing image was reused and nothing was built
 * @param modules the JDK modules its JRE holds
 * @param phases how long each step took (jdeps, jlink, libraries, context, build), empty when cached
 */
public record FunctionImage(
    String tag, String imageId, String contentHash, boolean cached, List<String> modules,
    Map<String, Duration> phases) {
  public FunctionImage {
    modules = List.copyOf(modules);
    phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
  }
}

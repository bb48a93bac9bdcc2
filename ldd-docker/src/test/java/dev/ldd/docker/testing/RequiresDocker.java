package dev.ldd.docker.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that need a Docker engine. When none answers they are skipped with a message saying how to
 * get one, unless {@code LDD_REQUIRE_DOCKER=true} (as CI sets it), in which case they fail.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(DockerEngineCondition.class)
public @interface RequiresDocker {}

package dev.ldd.docker;

import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.core.testing.ContainerRuntimeContract;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;

/** The ContainerRuntime contract, on the real engine, with the byte-server function image. */
@RequiresDocker
class DockerContainerRuntimeContractTest extends ContainerRuntimeContract {
  @Override
  protected ContainerRuntime createRuntime() {
    TestDocker.byteServerImage();
    return DockerContainerRuntime.create(TestDocker.config());
  }

  @Override
  protected FunctionSpec startableFunction() {
    return FunctionSpec.builder("byte-server", TestDocker.BYTE_SERVER_IMAGE).port(8080).build();
  }

  @Override
  protected FunctionSpec unstartableFunction() {
    return FunctionSpec.builder("missing-image", "ldd-test/no-such-image:0").build();
  }

  @Override
  protected void killBehindTheRuntimesBack(RuntimeInstance instance) {
    TestDocker.client().killContainerCmd(instance.nativeId()).exec();
  }
}

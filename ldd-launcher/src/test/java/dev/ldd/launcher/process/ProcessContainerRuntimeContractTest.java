package dev.ldd.launcher.process;

import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.core.testing.ContainerRuntimeContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class ProcessContainerRuntimeContractTest extends ContainerRuntimeContract {
  @TempDir
  Path state;

  static List<String> javaCommand(Class<?> main) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName());
  }

  @Override
  protected ContainerRuntime createRuntime() {
    return new ProcessContainerRuntime(ProcessRuntimeOptions.defaults().withStateDirectory(state));
  }

  @Override
  protected FunctionSpec startableFunction() {
    return FunctionSpec.builder("listener", "test-classpath").command(javaCommand(ListeningFunction.class)).build();
  }

  @Override
  protected FunctionSpec unstartableFunction() {
    return FunctionSpec.builder("missing", "none").command(List.of("/nonexistent/ldd-no-such-program")).build();
  }

  @Override
  protected void killBehindTheRuntimesBack(RuntimeInstance instance) {
    ProcessHandle.of(Long.parseLong(instance.nativeId())).orElseThrow().destroyForcibly();
  }
}

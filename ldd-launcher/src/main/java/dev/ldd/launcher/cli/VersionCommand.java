package dev.ldd.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ldd version}: the build's version and the Java it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the version of ldd.")
final class VersionCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().println(line());
  }

  /** Like {@code ldd 0.1.0 (Java 17.0.12)}. */
  static String line() {
    return "ldd " + version() + " (Java " + Runtime.version() + ")";
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("/dev/ldd/launcher/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** For {@code ldd --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }
  }
}

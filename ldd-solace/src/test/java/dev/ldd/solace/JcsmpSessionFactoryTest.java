package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.LddException;
import dev.ldd.core.time.SystemScheduler;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.RetryConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real JCSMP factory, with no broker: shows the classpath is complete and a refused connect is reported. */
class JcsmpSessionFactoryTest {
  @Test
  void realSessionReportsARefusedConnectAsAnLddExceptionNamingTheSession() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free, and closed again: nothing listens there
    }
    SessionConfig session = new SessionConfig("local", List.of("tcp://127.0.0.1:" + port), "default", "ldd", "secret",
        null, null, null, new RetryConfig(0, 0, 0, Duration.ZERO), null, List.of(QueueConfig.named("q")));
    try (SystemScheduler scheduler = new SystemScheduler();
        SolaceMessageSource source = new SolaceMessageSource("ldd-test", SolaceSourceConfig.of(session),
            SessionFactory.jcsmp(), scheduler)) {
      assertThatThrownBy(() -> source.start(new RecordingHandler()))
          .isInstanceOf(LddException.class)
          .hasMessageContaining("session 'local'")
          .hasMessageNotContaining("secret");
    }
  }
}

package dev.ldd.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ldd.core.Disposition;
import dev.ldd.core.DrainReport;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.StopReason;
import dev.ldd.core.spi.InboundMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingListenerTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.engine." + getClass().getSimpleName());
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final LoggingListener listener = new LoggingListener(logger);
  private final InboundMessage message = new InboundMessage("orders", "orders/eu/created",
      "secret payload".getBytes(), Map.of("card", "4111"), "m-1", null, null, true, OptionalInt.of(3));

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  private List<String> lines() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void notableEventsAreOneLineEachAtInfoOrWarn() {
    Map<String, Duration> phases = new LinkedHashMap<>();
    phases.put("spawn", Duration.ofMillis(12));
    phases.put("ready", Duration.ofMillis(300));

    listener.instanceReady("enrich", "enrich-1", phases);
    listener.instanceStopped("enrich", "enrich-1", StopReason.IDLE, "idle for 5m");
    listener.instanceStopped("enrich", "enrich-2", StopReason.DEADLINE, "invocation i-9 passed 30s");
    listener.instanceStartFailed("enrich", "enrich-3", new IllegalStateException("image not found"), 2);
    listener.settled(message, "enrich", Disposition.DEAD_LETTERED_REJECT, "failed 5 deliveries");
    listener.drained(new DrainReport(4, 1, 2, Duration.ofMillis(1500), true));

    assertThat(lines()).containsExactly(
        "INFO instance enrich-1 of 'enrich' ready in 312 ms (spawn 12 ms, ready 300 ms)",
        "INFO instance enrich-1 of 'enrich' stopped (idle): idle for 5m",
        "WARN instance enrich-2 of 'enrich' stopped (deadline): invocation i-9 passed 30s",
        "WARN instance enrich-3 of 'enrich' could not start (failure 2 in a row): image not found",
        "WARN dead-lettered message m-1 on 'orders' topic 'orders/eu/created' (delivery 3) of 'enrich' to the bus's "
            + "dead-message queue: failed 5 deliveries",
        "WARN drained in 1500 ms: 4 settled, 1 left to the bus, 2 instances stopped (the drain timeout passed with "
            + "invocations in flight)");
  }

  @Test
  void perMessageEventsAppearOnlyAtDebugAndNeverShowPayloadOrProperties() {
    listener.deliveryReceived(message);
    listener.invocationEnded("enrich", "enrich-1", "i-1", InvocationOutcome.OK, Duration.ofMillis(5), "");
    listener.settled(message, "enrich", Disposition.ACCEPTED, "");
    assertThat(lines()).isEmpty();

    logger.setLevel(Level.DEBUG);
    listener.deliveryReceived(message);
    listener.invocationEnded("enrich", "enrich-1", "i-1", InvocationOutcome.OK, Duration.ofMillis(5), "");
    listener.settled(message, "enrich", Disposition.ACCEPTED, "");

    assertThat(lines()).containsExactly(
        "DEBUG received message m-1 on 'orders' topic 'orders/eu/created' (delivery 3)",
        "DEBUG invocation i-1 of 'enrich' on enrich-1 ended OK in 5 ms",
        "DEBUG settled message m-1 on 'orders' topic 'orders/eu/created' (delivery 3) ACCEPTED");
    assertThat(String.join("\n", lines())).doesNotContain("secret payload", "4111");
  }
}

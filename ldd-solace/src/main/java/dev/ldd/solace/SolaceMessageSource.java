package dev.ldd.solace;

import static java.util.Objects.requireNonNull;

import com.solacesystems.jcsmp.JCSMPException;
import dev.ldd.core.LddException;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.time.Scheduler;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageSource} on Solace PubSub+: one JCSMP session (on its own context) per configured
 * message VPN, one guaranteed client-ack flow per queue, and a {@link SolacePublisher} per session.
 *
 * <p>Threads. Messages and events arrive on each session's JCSMP dispatcher thread and are handed to
 * the {@link DeliveryHandler} at once; nothing blocks there. Buffered messages are handed over, and
 * flows are stopped and started, on {@code ldd-solace-deliver}. Rebuilding a session or flow (after back-off)
 * runs on {@code ldd-solace-rebuild-<session>}; publish futures complete on
 * {@code ldd-solace-publish-<session>}. Settlement runs on the calling (engine) thread and may block
 * briefly while JCSMP reconnects.
 *
 * <p>Failures. Transient connection events (RECONNECTING, FLOW_RECONNECTING, FLOW_DOWN, ...) are logged
 * and passed to {@link DeliveryHandler#onSourceEvent}, and JCSMP recovers on its own. When a session
 * goes down for good (DOWN_ERROR) it is rebuilt, and when a flow fails ({@code onException}) the flow is
 * bound again, both with back-off. Deliveries of the dead session or flow cannot be settled any more
 * (settling them is a no-op); the bus redelivers them, so expect duplicates.
 *
 * <p>Events passed to {@link DeliveryHandler#onSourceEvent}, named as JCSMP names them: the flow events
 * {@code FLOW_UP}, {@code FLOW_DOWN}, {@code FLOW_RECONNECTING}, {@code FLOW_RECONNECTED}; the session
 * events {@code RECONNECTING}, {@code RECONNECTED}, {@code DOWN_ERROR} (and any other), reported once for
 * each queue of the session; and this source's own {@code FLOW_REPLACED} (a flow closed after failing, or
 * rebound after {@code fail()} in rebind mode), {@code FLOW_REBOUND} and {@code REBUILT} (a session).
 *
 * <p>Pausing. {@link #pause()} stops every flow; messages JCSMP still hands over from a flow's window
 * are buffered and delivered, in order, after {@link #resume()}. No delivery follows the return of
 * {@link #pause()}: it waits for a hand-off in progress on another thread, so the handler must not
 * wait for a thread that is calling {@code pause()} or {@code resume()}.
 */
public final class SolaceMessageSource implements MessageSource {
  private static final Logger log = LoggerFactory.getLogger(SolaceMessageSource.class);

  private final SolaceSourceConfig config;
  private final List<VpnSession> sessions = new ArrayList<>();
  private final DeliveryGate gate;
  private final List<ExecutorService> owned;
  private boolean started;
  private boolean closed;

  /**
   * A source for {@code config} (validated here) identified to the broker by {@code daemonId}; connects
   * on {@link #start}. Back-off timers run on {@code scheduler}.
   */
  public SolaceMessageSource(String daemonId, SolaceSourceConfig config, SessionFactory sessionFactory, Scheduler scheduler) {
    this(daemonId, config, sessionFactory, scheduler, null);
  }

  /** Tests pass an executor factory (thread name to executor); null makes one named daemon thread each. */
  SolaceMessageSource(
      String daemonId,
      SolaceSourceConfig config,
      SessionFactory sessionFactory,
      Scheduler scheduler,
      Function<String, Executor> executors) {
    requireNonNull(daemonId, "daemonId");
    this.config = requireNonNull(config, "config").validate();
    requireNonNull(sessionFactory, "sessionFactory");
    requireNonNull(scheduler, "scheduler");
    this.owned = new ArrayList<>();
    Function<String, Executor> threads = executors != null ? executors : this::namedThread;
    this.gate = new DeliveryGate(threads.apply("ldd-solace-deliver"));
    for (SessionConfig s : config.sessions()) {
      sessions.add(new VpnSession(s, daemonId, config, sessionFactory, scheduler, threads, gate));
    }
  }

  @Override
  public String name() {
    return "solace";
  }

  /** Connects every session and binds every flow; blocks while JCSMP connects (with its retries). */
  @Override
  public void start(DeliveryHandler handler) {
    requireNonNull(handler, "handler");
    synchronized (this) {
      if (started || closed) {
        throw new IllegalStateException("the solace source can be started once, and not after close");
      }
      started = true;
    }
    gate.open(handler);
    for (VpnSession s : sessions) {
      SessionConfig c = s.config();
      try {
        s.connect();
      } catch (JCSMPException | RuntimeException e) {
        close();
        throw new LddException("solace session '" + c.name() + "' could not connect to vpn '" + c.vpn() + "' on "
            + c.hosts() + ": " + e.getMessage() + "; check the hosts, the credentials and that the queues exist"
            + " (or configure provision)", e);
      }
    }
  }

  @Override
  public void pause() {
    gate.pause();
  }

  @Override
  public void resume() {
    gate.resume();
  }

  /** The publisher configured by {@code publisher} (its session, or the first). */
  public SolacePublisher publisher() {
    String name = config.publisherSession().orElseThrow().name();
    return publisher(name);
  }

  /** The publisher of the named session. */
  public SolacePublisher publisher(String sessionName) {
    return sessions.stream()
        .filter(s -> s.name().equals(sessionName))
        .findFirst()
        .orElseThrow(() -> new LddException("no solace session is named '" + sessionName + "'"))
        .publisher(config.publisher().delivery());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    gate.close();
    for (VpnSession s : sessions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.warn("closing solace session '{}' failed: {}", s.name(), e.toString());
      }
    }
    for (ExecutorService e : owned) {
      e.shutdown();
    }
    for (ExecutorService e : owned) {
      try {
        e.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private synchronized Executor namedThread(String name) {
    ExecutorService e = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    owned.add(e);
    return e;
  }
}

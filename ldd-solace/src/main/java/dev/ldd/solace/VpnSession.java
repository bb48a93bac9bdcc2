package dev.ldd.solace;

import com.solacesystems.jcsmp.Context;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.SessionEvent;
import com.solacesystems.jcsmp.SessionEventArgs;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.time.Scheduler;
import dev.ldd.solace.config.PublishDelivery;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SolaceSourceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JCSMP session (one message VPN) on its own context, with a flow per queue. JCSMP rides out
 * connection losses itself (its reconnect retries); only when it gives up (DOWN_ERROR) is the session
 * rebuilt here, after a back-off, on the rebuild thread. Deliveries of the dead session's flows are
 * dead with it.
 */
final class VpnSession {
  private static final Logger log = LoggerFactory.getLogger(VpnSession.class);

  private final SessionConfig config;
  private final String daemonId;
  private final SessionFactory factory;
  private final Scheduler scheduler;
  private final Executor worker;
  private final Executor publishCompletions;
  private final Backoff rebuildBackoff;
  private final DeliveryGate gate;
  private final List<QueueFlow> flows = new ArrayList<>();
  private final Object lock = new Object();
  private Context context;
  private JCSMPSession session;
  private boolean live;
  private int sessionGeneration;
  private boolean rebuildScheduled;
  private boolean closed;
  private SolacePublisher publisher;

  VpnSession(
      SessionConfig config,
      String daemonId,
      SolaceSourceConfig sourceConfig,
      SessionFactory factory,
      Scheduler scheduler,
      Function<String, Executor> executors,
      DeliveryGate gate) {
    this.config = config;
    this.daemonId = daemonId;
    this.factory = factory;
    this.scheduler = scheduler;
    this.worker = executors.apply("ldd-solace-rebuild-" + config.name());
    this.publishCompletions = executors.apply("ldd-solace-publish-" + config.name());
    this.rebuildBackoff = new Backoff(sourceConfig.rebuildBackoff(), scheduler);
    this.gate = gate;
    for (QueueConfig q : config.queues()) {
      flows.add(new QueueFlow(q, gate, scheduler, worker, this::liveSession,
          new Backoff(sourceConfig.rebuildBackoff(), scheduler), new Backoff(sourceConfig.rebindBackoff(), scheduler)));
    }
  }

  String name() {
    return config.name();
  }

  SessionConfig config() {
    return config;
  }

  /** Connects, provisions and binds every flow. Blocks; throws when JCSMP's connect retries are used up. */
  void connect() throws JCSMPException {
    int generation;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (context == null) {
        context = factory.createContext("ldd-solace-" + config.name());
      }
      generation = ++sessionGeneration;
    }
    JCSMPSession s = factory.createSession(
        SessionProperties.of(config, daemonId), context, args -> onSessionEvent(generation, args));
    try {
      s.connect();
      for (QueueFlow flow : flows) {
        flow.provision(s);
      }
      synchronized (lock) {
        session = s;
        live = true;
      }
      for (QueueFlow flow : flows) {
        flow.open(s);
      }
      log.info("session '{}' connected to vpn '{}' on {} as '{}' with {} flows", config.name(), config.vpn(),
          config.hosts(), SessionProperties.clientName(config, daemonId), flows.size());
    } catch (JCSMPException | RuntimeException e) {
      synchronized (lock) {
        live = false;
      }
      flows.forEach(QueueFlow::invalidate);
      s.closeSession();
      throw e;
    }
  }

  /** The connected session, or null while it is down or being rebuilt. */
  JCSMPSession liveSession() {
    synchronized (lock) {
      return live && !closed ? session : null;
    }
  }

  SolacePublisher publisher(PublishDelivery delivery) {
    synchronized (lock) {
      if (publisher == null) {
        publisher = new SolacePublisher(config.name(), this::liveSession, delivery, publishCompletions);
      }
      return publisher;
    }
  }

  void close() {
    JCSMPSession s;
    Context c;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      live = false;
      s = session;
      c = context;
    }
    flows.forEach(QueueFlow::close);
    SolacePublisher p;
    synchronized (lock) {
      p = publisher;
    }
    if (p != null) {
      p.close();
    }
    if (s != null) {
      s.closeSession();
    }
    if (c != null) {
      c.destroy();
    }
    log.info("session '{}' closed", config.name());
  }

  /** Runs on the context's dispatcher (or reconnect) thread: records, and schedules a rebuild when down. */
  private void onSessionEvent(int generation, SessionEventArgs args) {
    synchronized (lock) {
      if (closed || generation != sessionGeneration) {
        return; // a late event of a session already replaced
      }
    }
    SessionEvent event = args.getEvent();
    String detail = "session '" + config.name() + "': " + args.getInfo();
    if (event != SessionEvent.DOWN_ERROR) {
      log.info("session '{}': {} {}", config.name(), event, args.getInfo());
      emit(event.name(), detail);
      return;
    }
    log.error("session '{}' is down for good ({}); every delivery of its flows will be redelivered by the bus",
        config.name(), args.getInfo(), args.getException());
    synchronized (lock) {
      live = false;
    }
    flows.forEach(QueueFlow::invalidate);
    SolacePublisher p;
    synchronized (lock) {
      p = publisher;
    }
    if (p != null) {
      p.sessionLost();
    }
    emit(event.name(), detail);
    scheduleRebuild();
  }

  private void scheduleRebuild() {
    Duration delay;
    synchronized (lock) {
      if (closed || rebuildScheduled) {
        return;
      }
      rebuildScheduled = true;
      delay = rebuildBackoff.next();
    }
    log.info("session '{}': rebuilding in {} ms", config.name(), delay.toMillis());
    scheduler.schedule(delay, () -> worker.execute(this::rebuild));
  }

  private void rebuild() {
    JCSMPSession old;
    synchronized (lock) {
      rebuildScheduled = false;
      if (closed) {
        return;
      }
      old = session;
      session = null;
    }
    if (old != null) {
      try {
        old.closeSession();
      } catch (RuntimeException e) {
        log.debug("closing the dead session '{}' failed: {}", config.name(), e.toString());
      }
    }
    try {
      connect();
      rebuildBackoff.recovered();
      emit("REBUILT", "session '" + config.name() + "' rebuilt");
    } catch (JCSMPException | RuntimeException e) {
      log.warn("session '{}': rebuild failed: {}", config.name(), e.toString());
      scheduleRebuild();
    }
  }

  private void emit(String event, String detail) {
    DeliveryHandler handler = gate.handler();
    if (handler == null) {
      return;
    }
    for (QueueFlow flow : flows) {
      try {
        handler.onSourceEvent(flow.name(), event, detail);
      } catch (RuntimeException e) {
        log.warn("delivery handler threw on source event {}: {}", event, e.toString());
      }
    }
  }
}

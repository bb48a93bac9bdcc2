package dev.ldd.core.testing;

import dev.ldd.core.PlatformException;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real fake of a container runtime: instances are objects with an endpoint and an exit, with fault
 * injection (failing starts, unknown images, held starts, crashes behind the engine's back) and
 * counters for assertions. Pairs with {@link FakeFunctionTransport}. Thread-safe.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
  /** One fake instance. */
  public static final class FakeInstance implements RuntimeInstance {
    private final String instanceId;
    private final String nativeId;
    private final String daemonId;
    private final String function;
    private final Endpoint endpoint;
    private final CompletableFuture<InstanceExit> exit = new CompletableFuture<>();

    FakeInstance(String instanceId, String nativeId, String daemonId, String function, Endpoint endpoint) {
      this.instanceId = instanceId;
      this.nativeId = nativeId;
      this.daemonId = daemonId;
      this.function = function;
      this.endpoint = endpoint;
    }

    @Override
    public String instanceId() {
      return instanceId;
    }

    @Override
    public String nativeId() {
      return nativeId;
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public Map<String, Duration> startPhases() {
      Map<String, Duration> phases = new java.util.LinkedHashMap<>();
      phases.put("create", Duration.ofMillis(1));
      phases.put("start", Duration.ofMillis(2));
      return phases;
    }

    @Override
    public CompletableFuture<InstanceExit> exit() {
      return exit;
    }

    public String function() {
      return function;
    }

    public boolean running() {
      return !exit.isDone();
    }
  }

  private final Map<String, FakeInstance> byNativeId = new ConcurrentHashMap<>();
  private final Map<Integer, FakeInstance> byPort = new ConcurrentHashMap<>();
  private final Deque<String> startFailures = new ArrayDeque<>();
  private final Set<String> unknownImages = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<Void>> heldStarts = new ArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();
  private final AtomicInteger kills = new AtomicInteger();
  private final Map<String, AtomicInteger> alive = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxAlive = new ConcurrentHashMap<>();
  private boolean holdStarts;

  /** The next {@code n} starts fail with a {@link PlatformException} saying {@code why}. */
  public synchronized FakeContainerRuntime failNextStarts(int n, String why) {
    for (int i = 0; i < n; i++) {
      startFailures.add(why);
    }
    return this;
  }

  /** Starts of {@code image} fail as an unknown image would. */
  public FakeContainerRuntime unknownImage(String image) {
    unknownImages.add(image);
    return this;
  }

  /** While on, starts do not complete until {@link #releaseStarts}. */
  public synchronized void holdStarts(boolean hold) {
    holdStarts = hold;
  }

  public void releaseStarts() {
    List<CompletableFuture<Void>> release;
    synchronized (this) {
      release = List.copyOf(heldStarts);
      heldStarts.clear();
    }
    release.forEach(f -> f.complete(null));
  }

  /** Leaves a running instance owned by {@code daemonId}, as a crashed earlier run would. */
  public FakeInstance addOrphan(String daemonId, String function) {
    return register("orphan-" + sequence.incrementAndGet(), daemonId, function);
  }

  @Override
  public CompletableFuture<RuntimeInstance> start(InstanceRequest request) {
    String function = request.function().name();
    String image = request.function().image();
    String failure;
    CompletableFuture<Void> gate = null;
    synchronized (this) {
      starts.incrementAndGet();
      failure = startFailures.poll();
      if (holdStarts) {
        gate = new CompletableFuture<>();
        heldStarts.add(gate);
      }
    }
    // A held start also fails only when released, as a slow engine's would.
    CompletableFuture<Void> ready = gate == null ? CompletableFuture.completedFuture(null) : gate;
    return ready.thenApply(v -> {
      if (unknownImages.contains(image)) {
        throw new PlatformException("function '" + function + "': image '" + image + "' not found");
      }
      if (failure != null) {
        throw new PlatformException("function '" + function + "': " + failure);
      }
      return register(request.instanceId(), request.daemonId(), function);
    });
  }

  private FakeInstance register(String instanceId, String daemonId, String function) {
    int n = sequence.incrementAndGet();
    FakeInstance inst = new FakeInstance(instanceId, "fake-" + n, daemonId, function, new Endpoint("fake", 10_000 + n));
    byNativeId.put(inst.nativeId, inst);
    byPort.put(inst.endpoint.port(), inst);
    int now = alive.computeIfAbsent(function, f -> new AtomicInteger()).incrementAndGet();
    maxAlive.computeIfAbsent(function, f -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    return inst;
  }

  @Override
  public CompletableFuture<Void> stop(String nativeId, Duration grace) {
    stops.incrementAndGet();
    end(nativeId, new InstanceExit(0, "stopped"));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> kill(String nativeId) {
    kills.incrementAndGet();
    end(nativeId, new InstanceExit(137, "killed"));
    return CompletableFuture.completedFuture(null);
  }

  /** Ends an instance behind the engine's back, as a crash or an operator's kill would. */
  public void crash(String instanceId) {
    FakeInstance inst = instance(instanceId);
    end(inst.nativeId, new InstanceExit(1, "crashed"));
  }

  private void end(String nativeId, InstanceExit how) {
    FakeInstance inst = byNativeId.remove(nativeId);
    if (inst == null) {
      return;
    }
    byPort.remove(inst.endpoint.port());
    alive.get(inst.function).decrementAndGet();
    inst.exit.complete(how);
  }

  @Override
  public CompletableFuture<List<OwnedInstance>> listOwned(String daemonId) {
    List<OwnedInstance> out = new ArrayList<>();
    for (FakeInstance i : byNativeId.values()) {
      if (i.daemonId.equals(daemonId)) {
        out.add(new OwnedInstance(i.nativeId, i.instanceId, i.function, i.running()));
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public void close() {}

  /** The running instance the engine knows as {@code instanceId}. */
  public FakeInstance instance(String instanceId) {
    for (FakeInstance i : byNativeId.values()) {
      if (i.instanceId.equals(instanceId)) {
        return i;
      }
    }
    throw new AssertionError("no running instance " + instanceId + "; running: " + running());
  }

  FakeInstance atEndpoint(Endpoint endpoint) {
    return byPort.get(endpoint.port());
  }

  /** Running instances. */
  public Collection<FakeInstance> running() {
    return List.copyOf(byNativeId.values());
  }

  /** Running instances of {@code function}. */
  public List<FakeInstance> running(String function) {
    return byNativeId.values().stream().filter(i -> i.function.equals(function)).toList();
  }

  /** The most instances of {@code function} ever running at once. */
  public int maxAliveSeen(String function) {
    AtomicInteger n = maxAlive.get(function);
    return n == null ? 0 : n.get();
  }

  public int starts() {
    return starts.get();
  }

  public int stops() {
    return stops.get();
  }

  public int kills() {
    return kills.get();
  }

  /** Ids of running instances, for messages. */
  public Set<String> runningIds() {
    Set<String> ids = new HashSet<>();
    byNativeId.values().forEach(i -> ids.add(i.instanceId));
    return ids;
  }
}

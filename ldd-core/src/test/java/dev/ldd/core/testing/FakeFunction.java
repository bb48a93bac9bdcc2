package dev.ldd.core.testing;

import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.Publication;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a fake instance does with an invocation: answer at once, later, never, or crash. Called on the
 * thread that invokes; must not block.
 */
@FunctionalInterface
public interface FakeFunction {
  CompletionStage<InvocationResult> invoke(FakeCall call);

  static FakeFunction ok() {
    return call -> CompletableFuture.completedFuture(InvocationResult.ok());
  }

  static FakeFunction error(String error) {
    return call -> CompletableFuture.completedFuture(InvocationResult.error(error));
  }

  static FakeFunction reject(String error) {
    return call -> CompletableFuture.completedFuture(InvocationResult.reject(error));
  }

  /** Never answers. */
  static FakeFunction hang() {
    return call -> new CompletableFuture<>();
  }

  /** The instance dies mid-invocation. */
  static FakeFunction crash() {
    return call -> {
      call.crashInstance();
      return new CompletableFuture<>();
    };
  }

  /** Publishes {@code publications} (waiting for each to be taken), then returns OK. */
  static FakeFunction publishThenOk(Publication... publications) {
    return call -> {
      CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
      for (Publication p : publications) {
        all = all.thenCompose(v -> call.publish(p));
      }
      return all.handle((v, e) -> e == null ? InvocationResult.ok()
          : InvocationResult.error("publish refused: " + e.getMessage()));
    };
  }

  /** Publishes, then returns {@code result} whatever happened to the publications. */
  static FakeFunction publishThen(List<Publication> publications, InvocationResult result) {
    return call -> {
      CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
      for (Publication p : publications) {
        all = all.thenCompose(v -> call.publish(p));
      }
      return all.handle((v, e) -> result);
    };
  }

  /** Records calls for the test to answer one by one. */
  static Manual manual() {
    return new Manual();
  }

  /** A function the test answers by hand. */
  final class Manual implements FakeFunction {
    private final ConcurrentLinkedQueue<Pending> calls = new ConcurrentLinkedQueue<>();

    @Override
    public CompletionStage<InvocationResult> invoke(FakeCall call) {
      Pending p = new Pending(call, new CompletableFuture<>());
      calls.add(p);
      return p.result();
    }

    /** The oldest unanswered call, removed. */
    public Pending next() {
      Pending p = calls.poll();
      if (p == null) {
        throw new AssertionError("no call is waiting");
      }
      return p;
    }

    public int waiting() {
      return calls.size();
    }

    public List<Pending> all() {
      return List.copyOf(calls);
    }
  }

  /** A call waiting for its answer. */
  record Pending(FakeCall call, CompletableFuture<InvocationResult> result) {
    public void answer(InvocationResult r) {
      result.complete(r);
    }

    public void ok() {
      answer(InvocationResult.ok());
    }
  }
}

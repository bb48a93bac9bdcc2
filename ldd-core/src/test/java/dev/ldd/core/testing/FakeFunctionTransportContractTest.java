package dev.ldd.core.testing;

import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.InstanceRequest;
import java.time.Duration;
import java.time.Instant;

/** The fake transport keeps the contract the real ones keep, so engine tests on it mean something. */
class FakeFunctionTransportContractTest extends FunctionTransportContract {
  private final ManualScheduler clock = new ManualScheduler();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime();
  private FakeFunctionTransport transport;
  private int sequence;

  @Override
  protected FunctionTransport createTransport() {
    transport = new FakeFunctionTransport(runtime, clock);
    return transport;
  }

  @Override
  protected Endpoint startInstance(Behaviour behaviour, int concurrency) {
    FunctionSpec spec = FunctionSpec.builder("contract", "contract:1").build();
    Endpoint e = runtime.start(new InstanceRequest("contract-" + (++sequence), "d", spec)).join().endpoint();
    FakeFunction f = switch (behaviour) {
      case OK -> FakeFunction.ok();
      case ERROR -> FakeFunction.error("contract error");
      case REJECT -> FakeFunction.reject("contract reject");
      case HANG -> FakeFunction.hang();
      case PUBLISH_THEN_OK -> call -> call.publish(publicationFor(call.invocation().message().payload()))
          .thenApply(v -> InvocationResult.ok());
    };
    transport.behaviourAt(e, f, concurrency);
    return e;
  }

  @Override
  protected void crash(Endpoint endpoint) {
    runtime.crash(runtime.atEndpoint(endpoint).instanceId());
  }

  @Override
  protected Instant now() {
    return clock.now();
  }

  @Override
  protected void letTimePass(Duration d) {
    clock.advance(d);
  }

  @Override
  protected Endpoint nothingListening() {
    return new Endpoint("fake", 1);
  }
}

package dev.ldd.wire.transport;

import com.google.protobuf.UnsafeByteOperations;
import dev.ldd.core.ProtocolException;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.ReadyInfo;
import dev.ldd.wire.frame.ProtocolVersion;
import dev.ldd.wire.frame.WireProtocolException;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Publish;
import dev.ldd.wire.proto.PublishAck;
import dev.ldd.wire.proto.Ready;
import dev.ldd.wire.proto.Result;
import java.util.concurrent.CompletionException;

/** Converts between core model types and wire frames. Stateless. */
final class WireMapping {
  private WireMapping() {}

  static Frame invoke(Invocation invocation) {
    InboundMessage m = invocation.message();
    Invoke.Builder b = Invoke.newBuilder()
        .setInvocationId(invocation.id())
        .setTopic(m.topic())
        // InboundMessage payloads are read-only by contract: share, do not copy.
        .setPayload(UnsafeByteOperations.unsafeWrap(m.payload()))
        .putAllProperties(m.properties())
        .setMessageId(nullToEmpty(m.messageId()))
        .setCorrelationId(nullToEmpty(m.correlationId()))
        .setReplyTo(nullToEmpty(m.replyTo()))
        .setRedelivered(m.redelivered())
        .setDeliveryCount(m.deliveryCount().orElse(0))
        .setDeadlineUnixMillis(invocation.deadline().toEpochMilli());
    return Frame.newBuilder().setInvoke(b).build();
  }

  static Publication publication(Publish p) {
    return new Publication(
        p.getTopic(), p.getPayload().toByteArray(), p.getPropertiesMap(), emptyToNull(p.getCorrelationId()));
  }

  static Frame publishAck(long publishId, Throwable refusal) {
    PublishAck.Builder b = PublishAck.newBuilder().setPublishId(publishId).setOk(refusal == null);
    if (refusal != null) {
      b.setError(describe(refusal));
    }
    return Frame.newBuilder().setPublishAck(b).build();
  }

  /** The result a Result frame carries; a frame without a valid code is a protocol error. */
  static InvocationResult result(Result r) {
    return switch (r.getCode()) {
      case OK -> InvocationResult.ok();
      case ERROR -> InvocationResult.error(r.getError());
      case REJECT -> InvocationResult.reject(r.getError());
      default -> throw new WireProtocolException(
          "Result for invocation '" + r.getInvocationId() + "' has no valid code (" + r.getCodeValue() + ")");
    };
  }

  /**
   * Checks the handshake and returns what it announced.
   *
   * @throws ProtocolException when the first frame is not a valid Ready of a compatible version
   */
  static ReadyInfo readyInfo(String instanceId, Frame first) {
    if (first.getKindCase() != Frame.KindCase.READY) {
      throw new ProtocolException(
          "instance " + instanceId + " sent " + first.getKindCase() + " as its first frame; the first frame must be READY");
    }
    Ready r = first.getReady();
    ProtocolVersion theirs = new ProtocolVersion(r.getProtocolMajor(), r.getProtocolMinor());
    if (!ProtocolVersion.CURRENT.isCompatibleWith(theirs)) {
      throw new ProtocolException("instance " + instanceId + " speaks protocol " + theirs + "; this daemon speaks "
          + ProtocolVersion.CURRENT.major() + ".x");
    }
    if (r.getFunction().isEmpty()) {
      throw new ProtocolException("instance " + instanceId + " sent a Ready frame with no function name");
    }
    if (r.getMaxConcurrency() < 1) {
      throw new ProtocolException("instance " + instanceId + " sent a Ready frame with max_concurrency "
          + Integer.toUnsignedString(r.getMaxConcurrency()) + "; it must be >= 1");
    }
    return new ReadyInfo(theirs.toString(), r.getFunction(), r.getMaxConcurrency(), r.getRuntimeInfo());
  }

  static String describe(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}

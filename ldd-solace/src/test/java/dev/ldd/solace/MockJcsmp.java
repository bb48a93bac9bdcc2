package dev.ldd.solace;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.solacesystems.jcsmp.ConsumerFlowProperties;
import com.solacesystems.jcsmp.Context;
import com.solacesystems.jcsmp.EndpointProperties;
import com.solacesystems.jcsmp.FlowEvent;
import com.solacesystems.jcsmp.FlowEventArgs;
import com.solacesystems.jcsmp.FlowEventHandler;
import com.solacesystems.jcsmp.FlowReceiver;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPProperties;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.JCSMPStreamingPublishCorrelatingEventHandler;
import com.solacesystems.jcsmp.SessionEvent;
import com.solacesystems.jcsmp.SessionEventHandler;
import com.solacesystems.jcsmp.XMLMessageListener;
import com.solacesystems.jcsmp.XMLMessageProducer;
import com.solacesystems.jcsmp.impl.SessionEventArgsImpl;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SessionFactory} handing out Mockito mocks of JCSMP: every session, flow and producer created
 * is recorded with the callbacks the source registered, so a test can play the broker's part.
 */
final class MockJcsmp implements SessionFactory {
  /** One created flow with the listener and event handler the source gave it. */
  record Flow(JCSMPSession session, FlowReceiver receiver, XMLMessageListener listener, FlowEventHandler events,
      ConsumerFlowProperties properties) {
    String queue() {
      return properties.getEndpoint().getName();
    }

    void event(FlowEvent event) {
      events.handleEvent(receiver, new FlowEventArgs(event, event + " info", null, 0));
    }
  }

  /** One created producer with the handler its confirmations go to. */
  record Producer(XMLMessageProducer producer, JCSMPStreamingPublishCorrelatingEventHandler confirmations) {}

  final Context context = mock(Context.class);
  final List<JCSMPProperties> properties = new ArrayList<>();
  final List<SessionEventHandler> sessionHandlers = new ArrayList<>();
  final List<JCSMPSession> sessions = new ArrayList<>();
  final List<Flow> flows = new ArrayList<>();
  final List<Producer> producers = new ArrayList<>();
  /** When set, the next session's connect() throws it. */
  JCSMPException connectFailure;

  @Override
  public Context createContext(String name) {
    return context;
  }

  @Override
  public JCSMPSession createSession(JCSMPProperties props, Context ctx, SessionEventHandler events) throws JCSMPException {
    JCSMPSession session = mock(JCSMPSession.class);
    when(session.createFlow(any(XMLMessageListener.class), any(ConsumerFlowProperties.class), (EndpointProperties) any(),
        any(FlowEventHandler.class))).thenAnswer(inv -> {
          FlowReceiver receiver = mock(FlowReceiver.class);
          ConsumerFlowProperties fp = inv.getArgument(1);
          when(receiver.getEndpoint()).thenReturn(fp.getEndpoint());
          synchronized (this) {
            flows.add(new Flow(session, receiver, inv.getArgument(0), inv.getArgument(3), fp));
          }
          return receiver;
        });
    when(session.getMessageProducer(any())).thenAnswer(inv -> {
      XMLMessageProducer producer = mock(XMLMessageProducer.class);
      synchronized (this) {
        producers.add(new Producer(producer, inv.getArgument(0)));
      }
      return producer;
    });
    if (connectFailure != null) {
      doThrow(connectFailure).when(session).connect();
      connectFailure = null;
    }
    synchronized (this) {
      properties.add(props);
      sessionHandlers.add(events);
      sessions.add(session);
    }
    return session;
  }

  synchronized JCSMPSession lastSession() {
    return sessions.get(sessions.size() - 1);
  }

  synchronized List<Flow> flows(String queue) {
    return flows.stream().filter(f -> f.queue().equals(queue)).toList();
  }

  /** The newest flow of {@code queue}. */
  synchronized Flow flow(String queue) {
    List<Flow> of = flows(queue);
    return of.get(of.size() - 1);
  }

  synchronized Producer lastProducer() {
    return producers.get(producers.size() - 1);
  }

  /** Raises a session event on the newest session. */
  void sessionEvent(SessionEvent event) {
    SessionEventHandler handler;
    synchronized (this) {
      handler = sessionHandlers.get(sessionHandlers.size() - 1);
    }
    handler.handleEvent(new SessionEventArgsImpl(event, event + " info", null, 0));
  }
}

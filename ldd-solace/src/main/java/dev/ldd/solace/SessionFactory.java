package dev.ldd.solace;

import com.solacesystems.jcsmp.Context;
import com.solacesystems.jcsmp.ContextProperties;
import com.solacesystems.jcsmp.JCSMPException;
import com.solacesystems.jcsmp.JCSMPFactory;
import com.solacesystems.jcsmp.JCSMPProperties;
import com.solacesystems.jcsmp.JCSMPSession;
import com.solacesystems.jcsmp.SessionEventHandler;

/**
 * Creates JCSMP sessions and the contexts they run on: the seam between the Solace source and
 * {@link JCSMPFactory}, so tests can hand in mock sessions. {@link #jcsmp()} is the real one.
 *
 * <p>Called on the thread that starts the source and on the source's rebuild threads; may block.
 */
public interface SessionFactory {
  /**
   * A context of its own for one session, so that each session has its own dispatcher thread and a
   * slow or failing VPN cannot hold up another. Destroyed when the source closes.
   */
  Context createContext(String name);

  /** Creates a session (not yet connected) whose events go to {@code events}. */
  JCSMPSession createSession(JCSMPProperties properties, Context context, SessionEventHandler events)
      throws JCSMPException;

  /** Sessions from {@link JCSMPFactory#onlyInstance()}. */
  static SessionFactory jcsmp() {
    return new SessionFactory() {
      @Override
      public Context createContext(String name) {
        return JCSMPFactory.onlyInstance().createContext(new ContextProperties().setName(name));
      }

      @Override
      public JCSMPSession createSession(JCSMPProperties properties, Context context, SessionEventHandler events)
          throws JCSMPException {
        return JCSMPFactory.onlyInstance().createSession(properties, context, events);
      }
    };
  }
}

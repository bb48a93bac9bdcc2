package dev.ldd.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT handling through {@code sun.misc.Signal} (module jdk.unsupported), which, unlike a
 * shutdown hook, sees a second signal while the first one's drain is still running. Reached by
 * reflection so the build has no proprietary-API warnings; where it is missing, a shutdown hook stands
 * in (and a second signal then cannot cut the drain short).
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Calls {@code handler} with the signal's name on every SIGTERM and SIGINT, on a JVM signal thread. */
  static void onTermination(java.util.function.Consumer<String> handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerInterface = Class.forName("sun.misc.SignalHandler");
      InvocationHandler invocation = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          handler.accept((String) signalClass.getMethod("getName").invoke(args[0]));
          return null;
        }
        if (method.getName().equals("toString")) {
          return "ldd-signal-handler";
        }
        if (method.getName().equals("hashCode")) {
          return System.identityHashCode(proxy);
        }
        if (method.getName().equals("equals")) {
          return proxy == args[0];
        }
        throw new UnsupportedOperationException(method.getName());
      };
      Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerInterface},
          invocation);
      for (String name : new String[] {"TERM", "INT"}) {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        signalClass.getMethod("handle", signalClass, handlerInterface).invoke(null, signal, proxy);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.debug("no signal handling ({}); using a shutdown hook", e.toString());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> handler.accept("shutdown"), "ldd-shutdown"));
    }
  }
}

package io.realtime.app;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.app.config.ConfigException;
import io.realtime.app.config.ConfigParser;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.app.wiring.DaggerJettyComponent;
import io.realtime.app.wiring.DaggerUndertowComponent;
import io.realtime.app.wiring.ServerComponent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a realtime server from the environment and flags (PROTOCOL.md section 7), and drains
 * it on SIGTERM: {@code /health} turns 503, new connections get 503 {@code shutting_down}, open
 * ones close with 1001 after their queued frames, and the process exits within the drain time.
 */
public final class Main {
  /** Exit status for a configuration the server refuses. */
  public static final int CONFIG_ERROR = 2;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    int status = run(System.getenv(), args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Starts the server and returns 0 once it runs, or an exit status when it cannot start. */
  static int run(Map<String, String> env, String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print("realtime " + version() + ": a WebSocket messaging server\n\n"
          + "Usage: java -jar realtime.jar [--flag=value...] [--help] [--version]\n\n"
          + ConfigParser.usage()
          + "\nDev mode: with no JWT key configured the server mints tokens at POST /dev/token"
          + " and\nlistens on " + ConfigParser.DEV_HOST + " unless REALTIME_HOST (--host) is"
          + " given; its API still needs\nthe permission realtime:admin.\n");
      return 0;
    }
    if (Arrays.asList(args).contains("--version")) {
      out.println("realtime " + version());
      return 0;
    }
    RealtimeConfig config;
    try {
      config = ConfigParser.parse(env, args);
    } catch (ConfigException e) {
      err.println("realtime: invalid configuration:");
      e.problems().forEach(p -> err.println("  - " + p));
      return CONFIG_ERROR;
    }
    Running running;
    try {
      running = start(config);
    } catch (RuntimeException e) {
      if (rootCause(e) instanceof BindException) { // a newcomer's mistake: one line, no trace
        err.println("realtime: cannot listen on " + config.settings().host() + ":"
            + config.settings().port() + ": the address is in use; set REALTIME_PORT (--port)"
            + " to a free port, or stop what holds it");
        return CONFIG_ERROR;
      }
      err.println("realtime: cannot start: " + e.getMessage());
      log.error("server.start_failed error={}", e.toString(), e);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "realtime-shutdown"));
    return 0;
  }

  /** This build's version, from the jar (a Maven-filtered resource); "unknown" if absent. */
  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    for (int i = 0; i < 16 && cause.getCause() != null && cause.getCause() != cause; i++) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Builds the graph of the configured transport and starts it. */
  public static Running start(RealtimeConfig config) {
    ServerComponent component = switch (config.transport()) {
      case JETTY -> DaggerJettyComponent.factory().create(config);
      case UNDERTOW -> DaggerUndertowComponent.factory().create(config);
    };
    RealtimeServer server = component.server();
    server.start();
    log.info("server.started transport={} host={} port={} mode={} backplane={} node={}",
        server.transport(), config.settings().host(), server.port(),
        config.devMode() ? "dev" : "jwt",
        config.backplane().name().toLowerCase(Locale.ROOT), config.nodeId());
    return new Running(component);
  }

  /** A started server; {@link #stop} drains it once, then releases the core and keys. */
  public static final class Running implements AutoCloseable {
    private final ServerComponent component;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Running(ServerComponent component) {
      this.component = component;
    }

    public int port() {
      return component.server().port();
    }

    public ServerComponent component() {
      return component;
    }

    /** Drains within the configured time, then stops; later calls wait for the first. */
    public void stop() {
      if (!stopping.compareAndSet(false, true)) {
        awaitStopped();
        return;
      }
      long started = System.nanoTime();
      try {
        Duration drain = component.config().settings().drainTimeout();
        log.info("server.draining timeoutSeconds={}", drain.toSeconds());
        boolean clean = component.server().drainAndStop(drain);
        component.core().close();
        component.verifier().close();
        log.info("server.stopped clean={} tookMillis={}", clean,
            (System.nanoTime() - started) / 1_000_000);
      } finally {
        stopped.countDown();
      }
    }

    private void awaitStopped() {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      stop();
    }
  }
}

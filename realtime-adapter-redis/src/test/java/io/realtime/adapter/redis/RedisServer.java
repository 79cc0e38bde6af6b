package io.realtime.adapter.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real redis-server for one test: {@code --port P --bind 127.0.0.1 --save "" --appendonly no
 * --dir <tmp>} on a free port, stopped by its PID. It can be killed and started again on the
 * same port (empty, as nothing is saved). Without redis-server on the PATH the test is skipped
 * with a message, except under {@code CI=true}, where it fails.
 */
public final class RedisServer implements AutoCloseable {
  private final String binary;
  private final int port;
  private final Path dir;
  private final String password;
  private Process process;

  private RedisServer(String binary, int port, Path dir, String password) {
    this.binary = binary;
    this.port = port;
    this.dir = dir;
    this.password = password;
  }

  public static RedisServer start() {
    return start(null);
  }

  /** A server that demands {@code password} ({@code --requirepass}); null for none. */
  public static RedisServer start(String password) {
    String binary = find();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (binary == null && ci) {
      throw new IllegalStateException("redis-server is not installed (CI=true): apt-get install -y redis-server");
    }
    assumeTrue(binary != null, "redis-server is not on the PATH: skipping (apt-get install -y redis-server)");
    try {
      RedisServer server = new RedisServer(binary, freePort(),
          Files.createTempDirectory("realtime-redis-test"), password);
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server (SIGKILL: no goodbye to its clients) and waits for it to be gone. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = null;
  }

  /** Starts it again on the same port, empty. */
  public void restart() {
    startProcess();
  }

  private void startProcess() {
    try {
      List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
      if (password != null) {
        cmd.addAll(List.of("--requirepass", password));
      }
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException | RuntimeException notYet) {
        // still starting
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + log());
      }
      Eventually.pace(Duration.ofMillis(20));
    }
    throw new IllegalStateException("redis-server did not answer PING within 10 s: " + log());
  }

  /** Sends one command over a fresh socket and returns the reply as text (arrays joined by \n). */
  public String command(String... args) throws IOException {
    return commandIn(0, args);
  }

  /** As {@link #command} in database {@code db} (authenticating first when needed). */
  public String commandIn(int db, String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream());
      if (password != null) {
        send(out, "AUTH", password);
        read(in);
      }
      if (db != 0) {
        send(out, "SELECT", String.valueOf(db));
        read(in);
      }
      send(out, args);
      return read(in);
    }
  }

  private static void send(OutputStream out, String... args) throws IOException {
    StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
    }
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String read(InputStream in) throws IOException {
    String line = line(in);
    char kind = line.charAt(0);
    String rest = line.substring(1);
    switch (kind) {
      case '+', ':' -> {
        return rest;
      }
      case '-' -> throw new IOException("redis error: " + rest);
      case '$' -> {
        int len = Integer.parseInt(rest);
        if (len < 0) {
          return null;
        }
        byte[] data = in.readNBytes(len + 2);
        return new String(data, 0, len, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(read(in));
        }
        return String.join("\n", items);
      }
      default -> throw new IOException("unexpected reply " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        return b.toString();
      }
      b.append((char) c);
    }
    throw new IOException("connection closed");
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }

  private static String find() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

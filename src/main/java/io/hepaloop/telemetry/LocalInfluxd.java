package io.hepaloop.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code influxd} (InfluxDB 1.x) for tests and {@code demo}: generated config, free loopback
 * ports for HTTP and RPC, meta/data/wal in a temporary directory, usage reporting off. There is no
 * systemd on the machines this runs on, and a shared server would mix runs of different tests.
 *
 * <p>{@link #stop()} and {@link #start()} may be called again: the instance comes back on the same
 * port with its data, which is what the outage test needs.
 */
public final class LocalInfluxd implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalInfluxd.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final Path dir;
  private final boolean ownsDir;
  private final int httpPort;
  private final int rpcPort;
  private boolean authEnabled;
  private Path httpsCertificate;
  private Path httpsPrivateKey;
  private javax.net.ssl.SSLContext pingTrust;
  private Process process;

  private LocalInfluxd(Path binary, Path dir, boolean ownsDir, int httpPort, int rpcPort) {
    this.binary = binary;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.httpPort = httpPort;
    this.rpcPort = rpcPort;
  }

  /** The influxd binary: {@code HEPALOOP_INFLUXD} if set, else {@code influxd} on the PATH or in /usr/bin. */
  public static Optional<Path> findBinary() {
    String override = System.getenv("HEPALOOP_INFLUXD");
    if (override != null && Files.isExecutable(Path.of(override))) {
      return Optional.of(Path.of(override));
    }
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
    for (String d : path.split(":")) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "influxd");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static boolean isInstalled() {
    return findBinary().isPresent();
  }

  /** Starts a fresh instance in a new temporary directory (deleted by {@link #close()}). */
  public static LocalInfluxd launch() {
    try {
      return launchIn(Files.createTempDirectory("hepaloop-influxd-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a fresh instance with authentication on. InfluxDB answers 401/403 to everything until the
   * first admin exists; create it with {@code CREATE USER ... WITH ALL PRIVILEGES} (allowed once, unauthenticated).
   */
  public static LocalInfluxd launchWithAuth() {
    try {
      Path bin = findBinary().orElseThrow(() -> new IllegalStateException("influxd is not installed"));
      LocalInfluxd d = new LocalInfluxd(bin, Files.createTempDirectory("hepaloop-influxd-"), true, freePort(), freePort());
      d.authEnabled = true;
      d.start();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts an instance whose meta/data/wal live under {@code dir} (kept by {@link #close()}). */
  public static LocalInfluxd launchIn(Path dir) {
    return launchIn(dir, false);
  }

  private static LocalInfluxd launchIn(Path dir, boolean ownsDir) {
    Path bin = findBinary().orElseThrow(() -> new IllegalStateException(
        "influxd is not installed (apt-get install influxdb, or set HEPALOOP_INFLUXD)"));
    LocalInfluxd d = new LocalInfluxd(bin, dir, ownsDir, freePort(), freePort());
    d.start();
    return d;
  }

  /**
   * Starts a fresh instance serving https only, with {@code certificatePem} (which must name 127.0.0.1)
   * and its {@code privateKeyPem}; clients must trust the certificate.
   */
  public static LocalInfluxd launchWithTls(Path certificatePem, Path privateKeyPem) {
    try {
      Path bin = findBinary().orElseThrow(() -> new IllegalStateException("influxd is not installed"));
      LocalInfluxd d = new LocalInfluxd(bin, Files.createTempDirectory("hepaloop-influxd-"), true, freePort(), freePort());
      d.httpsCertificate = certificatePem.toAbsolutePath();
      d.httpsPrivateKey = privateKeyPem.toAbsolutePath();
      d.pingTrust = PemTrust.sslContextTrusting(certificatePem);
      d.start();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return (httpsCertificate != null ? "https" : "http") + "://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Process id of the running influxd, or -1. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public Path directory() {
    return dir;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts (or restarts) influxd on this instance's ports and waits until {@code /ping} answers 204. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("influxd.conf");
      Files.writeString(config, config(), StandardCharsets.UTF_8);
      ProcessBuilder pb = new ProcessBuilder(binary.toString(), "run", "-config", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("influxd.log").toFile()));
      process = pb.start();
      Process p = process;
      Runtime.getRuntime().addShutdownHook(new Thread(reaper(p, STOP_TIMEOUT), "influxd-reaper"));
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException("influxd exited with " + p.exitValue() + "; log: " + logTail());
        }
        if (ping()) {
          LOG.info("influxd up at {} (data in {})", url(), dir);
          return;
        }
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      throw new IllegalStateException("influxd did not answer /ping within " + START_TIMEOUT + "; log: " + logTail());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, then SIGKILL when it has not exited within 10 s. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("influxd did not stop on SIGTERM within {}, killing it", STOP_TIMEOUT);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** True when {@code /ping} answers 204 now. */
  /**
   * The JVM-exit safety net: no private influxd outlives its JVM. It runs beside the command's own
   * shutdown (which flushes telemetry into this influxd, then stops it), so it first gives that
   * shutdown {@code grace} to stop the process, then asks it to stop (SIGTERM), then kills it.
   */
  static Runnable reaper(Process p, Duration grace) {
    return () -> {
      try {
        if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    };
  }

  public boolean ping() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/ping").toURL().openConnection();
      if (c instanceof javax.net.ssl.HttpsURLConnection https && pingTrust != null) {
        https.setSSLSocketFactory(pingTrust.getSocketFactory());
      }
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 204;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.warn("could not delete {}: {}", dir, e.toString());
      }
    }
  }

  private String config() {
    String d = dir.toAbsolutePath().toString();
    return String.join("\n",
        "reporting-disabled = true",
        "bind-address = \"127.0.0.1:" + rpcPort + "\"",
        "[meta]",
        "  dir = \"" + d + "/meta\"",
        "[data]",
        "  dir = \"" + d + "/data\"",
        "  wal-dir = \"" + d + "/wal\"",
        "  query-log-enabled = false",
        "[http]",
        "  enabled = true",
        "  bind-address = \"127.0.0.1:" + httpPort + "\"",
        "  auth-enabled = " + authEnabled,
        "  https-enabled = " + (httpsCertificate != null),
        "  https-certificate = \"" + (httpsCertificate == null ? "" : httpsCertificate) + "\"",
        "  https-private-key = \"" + (httpsPrivateKey == null ? "" : httpsPrivateKey) + "\"",
        "  log-enabled = false",
        "  max-body-size = 0",
        "[monitor]",
        "  store-enabled = false",
        "[continuous_queries]",
        "  enabled = true",
        "  log-enabled = false",
        "  run-interval = \"1s\"",
        "[logging]",
        "  level = \"warn\"",
        "");
  }

  private String logTail() {
    try {
      String s = Files.readString(dir.resolve("influxd.log"));
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

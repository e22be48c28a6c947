package io.hepaloop.telemetry;

import io.hepaloop.core.DirectoryInUseException;
import io.hepaloop.core.DirectoryLock;
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
 * A private {@code influxd} (InfluxDB 1.x) for tests, {@code demo}, {@code serve} without a
 * configured InfluxDB and {@code export --data-dir}: generated config, free loopback ports for HTTP
 * and RPC, meta/data/wal in a given or temporary directory, usage reporting off. There is no
 * systemd on the machines this runs on, and a shared server would mix runs of different tests.
 *
 * <p>{@link #stop()} and {@link #start()} may be called again: the instance comes back on the same
 * port with its data, which is what the outage test needs.
 *
 * <p>Never twice on the same data, never outliving HepaLoop: from {@link #start()} to {@link
 * #stop()} the instance holds its directory's lock ({@link DirectoryLock}; a second holder is
 * refused with a {@link DirectoryInUseException} naming the first), stops an influxd a crashed
 * HepaLoop left running on that directory ({@code influxd.pid}, checked against {@code
 * /proc/<pid>/cmdline}) before it starts its own, and starts influxd so that it dies with the JVM
 * ({@link InfluxdProcesses}). A leftover is stopped rather than adopted: it is not our child (no
 * exit notice, no parent-death tie), its ports are the dead run's, and a clean start costs seconds
 * once, after a crash. Restarting influxd when it dies is the {@link InfluxdSupervisor}'s job
 * ({@link #onUnexpectedExit}, {@link #restartIfWanted()}).
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
  private volatile Process process;

  /** Set by {@link #start()}, cleared by {@link #stop()}: an exit while true is a crash. */
  private volatile boolean wanted;

  private volatile ExitListener exitListener;
  private DirectoryLock lock;
  private Thread shutdownHook;

  /**
   * How long the JVM-exit safety net waits for the owner to stop influxd itself (after its final
   * flush) before it stops it; zero unless the owner says it does ({@link
   * #stoppedByOwnerAtShutdown}).
   */
  private volatile Duration shutdownGrace = Duration.ZERO;

  /**
   * Told when influxd exits without {@link #stop()} having been called (on the JDK's process reaper
   * thread: return at once).
   */
  @FunctionalInterface
  public interface ExitListener {
    void exited(long pid, int exitCode);
  }

  private LocalInfluxd(Path binary, Path dir, boolean ownsDir, int httpPort, int rpcPort) {
    this.binary = binary;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.httpPort = httpPort;
    this.rpcPort = rpcPort;
  }

  /**
   * The influxd binary: {@code HEPALOOP_INFLUXD} if set, else {@code influxd} on the PATH or in
   * /usr/bin.
   */
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
   * Starts a fresh instance with authentication on. InfluxDB answers 401/403 to everything until
   * the first admin exists; create it with {@code CREATE USER ... WITH ALL PRIVILEGES} (allowed
   * once, unauthenticated).
   */
  public static LocalInfluxd launchWithAuth() {
    try {
      Path bin =
          findBinary().orElseThrow(() -> new IllegalStateException("influxd is not installed"));
      LocalInfluxd d =
          new LocalInfluxd(
              bin, Files.createTempDirectory("hepaloop-influxd-"), true, freePort(), freePort());
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
    Path bin =
        findBinary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "influxd is not installed (apt-get install influxdb, or set HEPALOOP_INFLUXD)"));
    LocalInfluxd d = new LocalInfluxd(bin, dir, ownsDir, freePort(), freePort());
    d.start();
    return d;
  }

  /**
   * Starts a fresh instance serving https only, with {@code certificatePem} (which must name
   * 127.0.0.1) and its {@code privateKeyPem}; clients must trust the certificate.
   */
  public static LocalInfluxd launchWithTls(Path certificatePem, Path privateKeyPem) {
    try {
      Path bin =
          findBinary().orElseThrow(() -> new IllegalStateException("influxd is not installed"));
      LocalInfluxd d =
          new LocalInfluxd(
              bin, Files.createTempDirectory("hepaloop-influxd-"), true, freePort(), freePort());
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
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public Path directory() {
    return dir;
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Starts (or restarts) influxd on this instance's ports and waits until {@code /ping} answers
   * 204.
   *
   * @throws DirectoryInUseException when another process or instance runs influxd on this directory
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    if (lock == null) {
      lock = DirectoryLock.acquire(dir, "influxd.lock", "the private InfluxDB data");
    }
    try {
      launchProcess();
      wanted = true;
    } catch (RuntimeException e) {
      if (!wanted) {
        releaseLock();
      }
      throw e;
    }
  }

  /**
   * For the supervisor: starts influxd again after it died, unless {@link #stop()} was called
   * meanwhile (then returns false). Keeps the directory's lock whether or not it succeeds.
   */
  synchronized boolean restartIfWanted() {
    if (!wanted || isRunning()) {
      return false;
    }
    launchProcess();
    return true;
  }

  /** Registers the one listener told about crashes (null removes it). */
  public void onUnexpectedExit(ExitListener listener) {
    this.exitListener = listener;
  }

  private void launchProcess() {
    try {
      Files.createDirectories(dir);
      stopLeftovers();
      Path config = dir.resolve("influxd.conf");
      Files.writeString(config, config(), StandardCharsets.UTF_8);
      rotateLog(dir.resolve("influxd.log"), LOG_ROTATE_BYTES);
      ProcessBuilder pb =
          new ProcessBuilder(
                  InfluxdProcesses.command(
                      binary,
                      config,
                      InfluxdProcesses.parentWatch(),
                      InfluxdProcesses.newSession()))
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("influxd.log").toFile()));
      Process p = InfluxdProcesses.start(pb);
      process = p;
      Files.writeString(pidFile(), p.pid() + "\n", StandardCharsets.US_ASCII);
      installShutdownHook();
      p.onExit().thenAccept(this::exited);
      awaitPing(p);
      checkOwnSession(p);
    } catch (IOException e) {
      abandon();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
      throw new IllegalStateException("interrupted while starting influxd", e);
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  private void awaitPing(Process p) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "influxd exited with " + p.exitValue() + "; log: " + logTail());
      }
      if (ping()) {
        LOG.info("influxd up at {} (pid {}, data in {})", url(), p.pid(), dir);
        return;
      }
      p.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException(
        "influxd did not answer /ping within " + START_TIMEOUT + "; log: " + logTail());
  }

  /** Says so when influxd, asked to, did not get a process group of its own. */
  private static void checkOwnSession(Process p) {
    if (!InfluxdProcesses.newSession()) {
      return;
    }
    long ours =
        InfluxdProcesses.groupAndSession(ProcessHandle.current().pid()).map(g -> g[0]).orElse(-1L);
    InfluxdProcesses.groupAndSession(p.pid())
        .filter(g -> g[0] == ours)
        .ifPresent(
            g ->
                LOG.warn(
                    "influxd pid {} is in HepaLoop's process group {}: Ctrl-C reaches it before the telemetry's final flush",
                    p.pid(),
                    ours));
  }

  /**
   * A start that failed leaves nothing running (and is not reported as a crash: process is cleared
   * first).
   */
  private void abandon() {
    Process p = process;
    process = null;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * An influxd on this directory's config that is not ours can only be a crashed run's: stop it
   * first.
   */
  private void stopLeftovers() {
    for (long pid : InfluxdProcesses.runningOn(dir.resolve("influxd.conf"), pidFile())) {
      LOG.warn(
          "influxd pid {} was left running on {} by an earlier HepaLoop (killed?); stopping it before starting ours",
          pid,
          dir);
      InfluxdProcesses.stop(pid, STOP_TIMEOUT);
    }
  }

  private void exited(Process p) {
    ExitListener l = exitListener;
    if (wanted && process == p && l != null) {
      l.exited(p.pid(), p.exitValue());
    }
  }

  private Path pidFile() {
    return dir.resolve("influxd.pid");
  }

  /**
   * One JVM-exit safety net per instance (not one per start: a supervisor may restart influxd for
   * weeks).
   */
  private void installShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook =
          new Thread(
              () -> {
                wanted = false; // the JVM is going: no restart
                Process p = process;
                if (p != null) {
                  reaper(p, shutdownGrace).run();
                }
              },
              "influxd-reaper");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * The owner stops this influxd itself when the JVM shuts down (Ctrl-C: after the telemetry's
   * final flush into it): the JVM-exit safety net gives it up to {@code grace} before it stops
   * influxd. influxd has a session of its own, so Ctrl-C does not reach it; without an owner that
   * stops it (export, tests) the safety net stops it at once.
   */
  public void stoppedByOwnerAtShutdown(Duration grace) {
    this.shutdownGrace = grace;
  }

  /** SIGTERM, then SIGKILL when it has not exited within 10 s; releases the directory. */
  public synchronized void stop() {
    wanted = false;
    Process p = process;
    process = null;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("influxd did not stop on SIGTERM within {}, killing it", STOP_TIMEOUT);
          p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
      try {
        Files.deleteIfExists(pidFile());
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", pidFile(), e.toString());
      }
    }
    releaseLock();
  }

  private void releaseLock() {
    if (lock != null) {
      lock.close();
      lock = null;
    }
  }

  /**
   * The JVM-exit safety net: no private influxd outlives its JVM. It runs beside the command's own
   * shutdown (which flushes telemetry into this influxd, then stops it), so it first gives that
   * shutdown {@code grace} to stop the process, then asks it to stop (SIGTERM), then kills it (2 s
   * later).
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

  /** True when {@code /ping} answers 204 now. */
  public boolean ping() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(url() + "/ping").toURL().openConnection();
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
    synchronized (this) {
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook runs anyway and finds nothing to stop
        }
        shutdownHook = null;
      }
    }
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
    return String.join(
        "\n",
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

  /**
   * influxd's log is appended to across restarts (the supervisor's included) for weeks: at each
   * start, one larger than this becomes {@code influxd.log.1} (replacing the previous one), so the
   * two together stay under twice this size however long the run. influxd logs at warn level only.
   */
  static final long LOG_ROTATE_BYTES = 8L << 20;

  static void rotateLog(Path log, long maxBytes) throws IOException {
    if (Files.isRegularFile(log) && Files.size(log) > maxBytes) {
      Files.move(
          log,
          log.resolveSibling(log.getFileName() + ".1"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
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

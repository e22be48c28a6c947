package io.hepaloop.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system side of a private influxd: how it is tied to HepaLoop's life, and how one
 * left behind by a crash is found and stopped. Linux only ({@code /proc}), like the rest of the
 * deployment.
 *
 * <p>influxd is a Go program and cannot notice that its parent died, so it is started through
 * {@code setpriv --pdeathsig TERM} (util-linux, present on every Debian): the kernel sends it
 * SIGTERM when HepaLoop dies, {@code kill -9} included. The kernel's "parent" is the
 * <em>thread</em> that started the process, so every influxd is started from one thread that lives
 * as long as the JVM ({@link #start}); started from a pool thread it would be killed when that
 * thread retires. Without setpriv a shell watches the JVM's pid once a second and stops influxd
 * when it is gone.
 *
 * <p>influxd (with its watcher) runs in a session and process group of its own ({@code setsid},
 * util-linux): Ctrl-C in a terminal signals the terminal's foreground process group, which is
 * HepaLoop's; influxd must not get it too, or it stops before HepaLoop's telemetry writer has made
 * its final flush. HepaLoop stops it itself after that flush ({@link TelemetryService#stop}).
 * {@code -Dhepaloop.influxd.newSession=false} keeps it in HepaLoop's group.
 */
final class InfluxdProcesses {
  private static final Logger LOG = LoggerFactory.getLogger(InfluxdProcesses.class);

  /**
   * How influxd learns that HepaLoop died. {@code
   * -Dhepaloop.influxd.parentWatch=setpriv|shell|none} overrides the choice.
   */
  enum ParentWatch {
    SETPRIV,
    SHELL,
    NONE
  }

  /**
   * Runs {@code influxd "$@"} after forking a watcher that sends it SIGTERM once the JVM ($1) is
   * gone. {@code $$} stays the pid of this shell in the subshell, and {@code exec} makes that pid
   * influxd's.
   */
  private static final String SHELL_WATCH =
      "jvm=$1; shift; "
          + "( while kill -0 \"$jvm\" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done; "
          + "kill -0 \"$jvm\" 2>/dev/null || kill -TERM $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 & exec \"$@\"";

  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "influxd-launcher");
            t.setDaemon(true);
            return t;
          });

  private static volatile ParentWatch chosen;
  private static volatile Boolean newSessionChosen;

  private InfluxdProcesses() {}

  /** The command that runs {@code binary run -config config} under {@code watch}. */
  static List<String> command(Path binary, Path config, ParentWatch watch) {
    return command(binary, config, watch, false);
  }

  /**
   * The command that runs {@code binary run -config config} under {@code watch}, in a new session
   * when {@code newSession} ({@code setsid}: it does not fork, since a child of the JVM is no group
   * leader, so the process started is still influxd itself).
   */
  static List<String> command(Path binary, Path config, ParentWatch watch, boolean newSession) {
    List<String> influxd =
        List.of(binary.toString(), "run", "-config", config.toAbsolutePath().toString());
    List<String> cmd = new ArrayList<>();
    if (newSession) {
      cmd.add(tool("setsid").orElseThrow().toString());
    }
    switch (watch) {
      case SETPRIV ->
          cmd.addAll(List.of(setpriv().orElseThrow().toString(), "--pdeathsig", "TERM", "--"));
      case SHELL ->
          cmd.addAll(
              List.of(
                  "sh",
                  "-c",
                  SHELL_WATCH,
                  "hepaloop-influxd-watch",
                  Long.toString(ProcessHandle.current().pid())));
      case NONE -> {}
    }
    cmd.addAll(influxd);
    return cmd;
  }

  /**
   * Starts {@code pb} from the long-lived launcher thread (see the class comment); with setpriv or
   * the shell's {@code exec} the returned process is influxd itself.
   */
  static Process start(ProcessBuilder pb) throws IOException, InterruptedException {
    try {
      return LAUNCHER.submit(pb::start).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("cannot start " + pb.command(), e.getCause());
    }
  }

  /**
   * setpriv when installed, else the shell watch (with a warning, once); or what the system
   * property asks for.
   */
  static ParentWatch parentWatch() {
    ParentWatch w = chosen;
    if (w != null) {
      return w;
    }
    String asked = System.getProperty("hepaloop.influxd.parentWatch");
    if (asked != null) {
      w = ParentWatch.valueOf(asked.trim().toUpperCase(Locale.ROOT));
    } else if (setpriv().isPresent()) {
      w = ParentWatch.SETPRIV;
    } else {
      LOG.warn(
          "setpriv (util-linux) not found: a shell loop watches HepaLoop for the private influxd and stops it "
              + "within about 1 s after HepaLoop dies (install util-linux for the kernel's parent-death signal)");
      w = ParentWatch.SHELL;
    }
    chosen = w;
    return w;
  }

  /**
   * Whether influxd gets a session of its own: when {@code setsid} is installed (with a warning,
   * once, when it is not), unless {@code -Dhepaloop.influxd.newSession=false}.
   */
  static boolean newSession() {
    Boolean b = newSessionChosen;
    if (b != null) {
      return b;
    }
    String asked = System.getProperty("hepaloop.influxd.newSession");
    if (asked != null && !Boolean.parseBoolean(asked.trim())) {
      b = false;
    } else if (tool("setsid").isPresent()) {
      b = true;
    } else {
      LOG.warn(
          "setsid (util-linux) not found: the private influxd shares HepaLoop's process group, so Ctrl-C in a "
              + "terminal stops it before the telemetry's final flush (the points stay in the spool and are sent at the next start)");
      b = false;
    }
    newSessionChosen = b;
    return b;
  }

  private static Optional<Path> setpriv() {
    return tool("setpriv");
  }

  private static Optional<Path> tool(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin";
    return Arrays.stream(path.split(":"))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Process group and session of a live process, from {@code /proc/<pid>/stat} (fields 5 and 6,
   * after the command name in parentheses, which may itself hold spaces and parentheses); empty
   * when it is gone or unreadable.
   */
  static Optional<long[]> groupAndSession(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] state, f[1] ppid, f[2] pgrp, f[3] session
      return Optional.of(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * argv of a live process, from {@code /proc/<pid>/cmdline}; empty when it is gone or unreadable.
   */
  static Optional<List<String>> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      if (raw.length == 0) {
        return Optional.empty(); // a zombie or a kernel thread
      }
      String s = new String(raw, StandardCharsets.UTF_8);
      if (s.endsWith("\0")) {
        s = s.substring(0, s.length() - 1);
      }
      return Optional.of(List.of(s.split("\0", -1)));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * True when {@code argv} is an influxd run with exactly this config file (not the shell that
   * watches one).
   */
  static boolean isInfluxdWith(List<String> argv, Path config) {
    if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().startsWith("influxd")) {
      return false;
    }
    String wanted = config.toAbsolutePath().toString();
    for (int i = 1; i + 1 < argv.size(); i++) {
      if (argv.get(i).equals("-config") && argv.get(i + 1).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Processes running influxd on {@code config}: the pid in {@code pidFile} when it is still that
   * influxd, plus any found by a scan of {@code /proc} (one left by an older version without a pid
   * file).
   */
  static TreeSet<Long> runningOn(Path config, Path pidFile) {
    TreeSet<Long> pids = new TreeSet<>();
    readPid(pidFile)
        .filter(pid -> commandLine(pid).filter(a -> isInfluxdWith(a, config)).isPresent())
        .ifPresent(pids::add);
    try (DirectoryStream<Path> proc =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : proc) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (commandLine(pid).filter(a -> isInfluxdWith(a, config)).isPresent()) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot scan /proc for a leftover influxd: {}", e.toString());
    }
    return pids;
  }

  static Optional<Long> readPid(Path pidFile) {
    try {
      String s = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
      return s.matches("\\d{1,19}") ? Optional.of(Long.parseLong(s)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
  static void stop(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return;
    }
    ProcessHandle h = handle.get();
    try {
      h.destroy();
      try {
        h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("influxd pid {} did not stop on SIGTERM within {}, killing it", pid, grace);
        h.destroyForcibly();
        h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot stop influxd pid " + pid + ": " + e, e);
    }
  }
}

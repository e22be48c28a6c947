package io.hepaloop.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;

/**
 * {@code hepaloop tune} against the running controller: start (or act on) the loop's auto-tune
 * through {@link TuneClient}, print its progress, and ask whether to accept the proposal.
 */
final class TuneSession {
  private final TuneCommand c;
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  TuneSession(TuneCommand c) {
    this.c = c;
  }

  int run() throws InterruptedException {
    int actions = (c.status ? 1 : 0) + (c.accept ? 1 : 0) + (c.reject ? 1 : 0) + (c.abort ? 1 : 0);
    if (actions > 1) {
      err.println("hepaloop tune: give one of --status, --accept, --reject, --abort");
      return 2;
    }
    if (c.pollMs < 1) {
      err.println("hepaloop tune: --poll-ms must be >= 1, got " + c.pollMs);
      return 2;
    }
    String token;
    try {
      token = token();
    } catch (IOException e) {
      err.println("hepaloop tune: cannot read --token-file " + c.tokenFile + ": " + e);
      return 2;
    }
    if (token == null || token.isBlank()) {
      err.println(
          "hepaloop tune: an API token (engineer role) is needed: --token-file FILE or env HEPALOOP_TOKEN");
      return 2;
    }
    TuneClient client = new TuneClient(c.url, token, c.reactor, c.loop);
    try {
      if (c.status) {
        TuneClient.Answer a = client.progress();
        if (!a.ok()) {
          return refused(a);
        }
        print(a.body());
        return 0;
      }
      if (c.accept || c.reject || c.abort) {
        TuneClient.Answer a = client.action(c.accept ? "accept" : c.reject ? "reject" : "abort");
        if (!a.ok()) {
          return refused(a);
        }
        out.println(a.body().getString("message"));
        return 0;
      }
      return startAndFollow(client);
    } catch (IOException e) {
      err.println("hepaloop tune: " + e.getMessage());
      return 1;
    }
  }

  private String token() throws IOException {
    if (c.tokenFile != null) {
      return Files.readString(c.tokenFile, StandardCharsets.UTF_8).strip();
    }
    return System.getenv("HEPALOOP_TOKEN");
  }

  private int startAndFollow(TuneClient client) throws IOException, InterruptedException {
    JsonObject body = new JsonObject();
    if (c.amplitude != null) {
      body.put("amplitude", c.amplitude);
    }
    if (c.hysteresis != null) {
      body.put("hysteresis", c.hysteresis);
    }
    if (c.maxDeviation != null) {
      body.put("maxDeviation", c.maxDeviation);
    }
    if (c.pi) {
      body.put("pi", true);
    }
    TuneClient.Answer started = client.start(body);
    if (!started.ok()) {
      return refused(started);
    }
    out.println(started.body().getString("message"));
    out.println(
        "The test runs in the controller: leaving this command does not stop it (--abort does).");
    JsonObject p = started.body().getJsonObject("autotune");
    int cycles = -1;
    while (p != null && "running".equals(p.getString("phase"))) {
      if (p.getInteger("cyclesSeen") != cycles) {
        cycles = p.getInteger("cyclesSeen");
        out.println(progressLine(p));
      }
      Thread.sleep(c.pollMs);
      TuneClient.Answer a = client.progress();
      if (!a.ok()) {
        return refused(a);
      }
      p = a.body();
    }
    print(p);
    if (p == null || !"proposal_ready".equals(p.getString("phase"))) {
      return 1;
    }
    return decide(client);
  }

  private int decide(TuneClient client) throws IOException, InterruptedException {
    out.print("Accept the proposal? y = accept, n = reject, Enter = decide later: ");
    out.flush();
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    String answer = line == null ? "" : line.strip().toLowerCase(Locale.ROOT);
    if (answer.equals("y") || answer.equals("yes") || answer.equals("n") || answer.equals("no")) {
      TuneClient.Answer a = client.action(answer.startsWith("y") ? "accept" : "reject");
      if (!a.ok()) {
        return refused(a);
      }
      out.println(a.body().getString("message"));
      return 0;
    }
    out.println();
    out.println(
        "The proposal waits in the controller: hepaloop tune --reactor "
            + c.reactor
            + " --loop "
            + c.loop
            + " --accept (or --reject)");
    return 0;
  }

  private int refused(TuneClient.Answer a) {
    err.println("hepaloop tune: " + a.detail() + " (HTTP " + a.status() + ")");
    return 1;
  }

  static String progressLine(JsonObject p) {
    return String.format(
        Locale.ROOT,
        "running: %d of %d cycles, PV amplitude %s, period %s s, elapsed %.0f s",
        p.getInteger("cyclesSeen"),
        p.getInteger("cyclesNeeded"),
        num(p.getDouble("amplitudeSoFar"), "%.4g"),
        num(p.getDouble("periodSoFarS"), "%.1f"),
        p.getDouble("elapsedS", 0.0));
  }

  private void print(JsonObject p) {
    if (p == null) {
      return;
    }
    String phase = p.getString("phase");
    out.println(
        "auto-tune of loop "
            + p.getString("loopId")
            + " (reactor "
            + p.getString("reactorId")
            + ", started by "
            + p.getString("startedBy")
            + "): "
            + phase.replace('_', ' ')
            + (p.getString("reason") != null ? ": " + p.getString("reason") : "")
            + (p.getString("decidedBy") != null ? " (by " + p.getString("decidedBy") + ")" : ""));
    if ("running".equals(phase)) {
      out.println(progressLine(p));
    }
    JsonObject r = p.getJsonObject("proposal");
    if (r == null) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "ultimate gain Ku = %.4g, ultimate period Pu = %.1f s, PV amplitude %.4g%n",
        r.getDouble("ultimateGain"),
        r.getDouble("ultimatePeriodS"),
        r.getDouble("pvAmplitude"));
    JsonObject now = p.getJsonObject("currentTuning");
    JsonObject next = r.getJsonObject("tuning");
    out.println("proposal: " + r.getString("rule"));
    out.printf(Locale.ROOT, "%-18s %12s %12s%n", "", "current", "proposed");
    for (String f :
        new String[] {"gain", "integralTimeS", "derivativeTimeS", "derivativeFilterN"}) {
      out.printf(Locale.ROOT, "%-18s %12.4g %12.4g%n", f, now.getDouble(f), next.getDouble(f));
    }
    out.println(r.getString("shaping"));
  }

  private static String num(Double v, String format) {
    return v == null ? "-" : String.format(Locale.ROOT, format, v);
  }
}

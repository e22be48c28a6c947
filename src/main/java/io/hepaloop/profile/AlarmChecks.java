package io.hepaloop.profile;

import static io.hepaloop.profile.ProfileChecks.show;
import static io.hepaloop.profile.SchemaValidation.number;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the JSON Schema cannot say about a list of alarm definitions: the source names a signal,
 * loop or interlock of the sort the kind watches; the limit means something for the kind and lies
 * inside the signal's range; the deadband lets the alarm clear; HH ≥ H > L ≥ LL per signal; the
 * suppression names a loop and a mode it can be in.
 *
 * <p>Works on records, not on the YAML tree, so that the plant configuration runs the same rules on
 * the set left after its per-reactor overrides. Fields the schema refuses (unknown kind, negative
 * delay) are not reported again here. Mirrors what {@code alarm.AlarmDefinition} checks of one
 * definition (this package must not depend on alarm), so a profile that loads gives definitions
 * that build.
 */
public final class AlarmChecks {
  private AlarmChecks() {}

  /**
   * One problem of {@code alarms.get(index)}, at {@code field} (e.g. {@code limit}, {@code
   * suppressWhen.loop}); {@code otherIndex} is the definition it conflicts with, or -1.
   */
  public record Finding(int index, String field, String message, int otherIndex) {}

  /**
   * What the rules need to know of the profile.
   *
   * @param signalRanges every signal id, with its range (null when the profile gives none usable)
   * @param loops every loop id, with whether it has a cascade section
   * @param loopPvRanges each loop's PV range, where known
   * @param interlocks every interlock id
   * @param hasWatchdog whether the profile has a controller heartbeat
   */
  public record Context(
      Map<String, Range> signalRanges,
      Map<String, Boolean> loops,
      Map<String, Range> loopPvRanges,
      Set<String> interlocks,
      boolean hasWatchdog) {

    public static Context of(DeviceProfile p) {
      Map<String, Range> signals = new HashMap<>();
      p.signals().forEach(s -> signals.put(s.id(), s.range()));
      Map<String, Boolean> loops = new HashMap<>();
      Map<String, Range> pvRanges = new HashMap<>();
      for (LoopSpec l : p.loops()) {
        loops.put(l.id(), l.cascade() != null);
        p.signal(l.pv()).ifPresent(s -> pvRanges.put(l.id(), s.range()));
      }
      Set<String> interlocks = new java.util.HashSet<>();
      p.interlocks().forEach(i -> interlocks.add(i.id()));
      return new Context(signals, loops, pvRanges, interlocks, p.watchdog() != null);
    }
  }

  private static final Set<String> SIGNAL_KINDS =
      Set.of(
          "high_high",
          "high",
          "low",
          "low_low",
          "rate_of_change",
          "bad_quality_or_stale",
          "predicted_low");
  private static final Set<String> LOOP_KINDS = Set.of("deviation", "loop_saturated");
  private static final Set<String> NO_SOURCE_KINDS =
      Set.of("link_lost", "heartbeat_failing", "spool_growing", "our_decline");
  private static final Set<String> NO_LIMIT_KINDS =
      Set.of("link_lost", "interlock_tripped", "heartbeat_failing");
  private static final Set<String> WINDOW_KINDS =
      Set.of("rate_of_change", "our_decline", "predicted_low");

  /** Every problem of {@code alarms}, in list order. */
  public static List<Finding> check(List<AlarmSpec> alarms, Context ctx) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < alarms.size(); i++) {
      AlarmSpec a = alarms.get(i);
      if (a == null || a.kind() == null || !AlarmSpec.KINDS.contains(a.kind())) {
        continue; // the schema reports a missing or unknown kind
      }
      source(a, i, ctx, out);
      limit(a, i, ctx, out);
      window(a, i, out);
      suppression(a, i, ctx, out);
    }
    ordering(alarms, ctx, out);
    return out;
  }

  private static void source(AlarmSpec a, int i, Context ctx, List<Finding> out) {
    String kind = a.kind();
    String src = a.source();
    if (NO_SOURCE_KINDS.contains(kind)) {
      if (src != null) {
        out.add(
            new Finding(
                i,
                "source",
                kind + " watches the reactor as a whole and takes no source (remove it)",
                -1));
      }
      if (kind.equals("heartbeat_failing") && !ctx.hasWatchdog()) {
        out.add(
            new Finding(
                i,
                "kind",
                "heartbeat_failing needs a watchdog, and this profile has none: there is no heartbeat to fail",
                -1));
      }
      return;
    }
    String noun =
        LOOP_KINDS.contains(kind)
            ? "loop"
            : kind.equals("interlock_tripped") ? "interlock" : "signal";
    Set<String> known =
        noun.equals("loop")
            ? ctx.loops().keySet()
            : noun.equals("interlock") ? ctx.interlocks() : ctx.signalRanges().keySet();
    if (src == null) {
      out.add(new Finding(i, "source", kind + " needs a source: the " + noun + " it watches", -1));
    } else if (!known.contains(src)) {
      out.add(
          new Finding(
              i,
              "source",
              "no "
                  + noun
                  + " '"
                  + src
                  + "' in this profile ("
                  + noun
                  + "s: "
                  + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known)))
                  + "); "
                  + kind
                  + " watches "
                  + (noun.equals("interlock") ? "an " : "a ")
                  + noun,
              -1));
    }
  }

  private static void limit(AlarmSpec a, int i, Context ctx, List<Finding> out) {
    String kind = a.kind();
    Double limit = a.limit();
    if (NO_LIMIT_KINDS.contains(kind)) {
      if (limit != null) {
        out.add(new Finding(i, "limit", kind + " has no limit (remove it)", -1));
      }
      return;
    }
    if (limit == null) {
      out.add(new Finding(i, "limit", kind + " needs a limit (" + limitMeaning(kind) + ")", -1));
      return;
    }
    double v = limit;
    double deadband = a.deadbandOrZero();
    switch (kind) {
      case "deviation", "rate_of_change" -> {
        if (v <= 0) {
          out.add(new Finding(i, "limit", number(v) + " must be greater than 0 for " + kind, -1));
        } else if (deadband >= v) {
          out.add(
              new Finding(
                  i,
                  "deadband",
                  number(deadband)
                      + " must be smaller than the limit ("
                      + number(v)
                      + "), or the alarm could never clear",
                  -1));
        }
        Range pv = ctx.loopPvRanges().get(a.source());
        if (kind.equals("deviation") && pv != null && v >= pv.max() - pv.min()) {
          out.add(
              new Finding(
                  i,
                  "limit",
                  number(v)
                      + " is as wide as the whole range "
                      + show(pv)
                      + " of the loop's pv: the alarm could never activate",
                  -1));
        }
      }
      case "bad_quality_or_stale", "spool_growing" -> {
        if (v <= 0) {
          out.add(
              new Finding(
                  i,
                  "limit",
                  number(v) + " must be greater than 0 (" + limitMeaning(kind) + ")",
                  -1));
        }
      }
      case "loop_saturated" -> {
        if (v < 0) {
          out.add(
              new Finding(
                  i, "limit", number(v) + " must be at least 0 (" + limitMeaning(kind) + ")", -1));
        }
      }
      case "our_decline" -> {
        if (!(v > 0 && v < 100)) {
          out.add(
              new Finding(
                  i, "limit", number(v) + " must lie between 0 and 100 (a decline in %)", -1));
        }
      }
      default -> signalLimit(a, i, v, ctx, out); // high_high, high, low, low_low, predicted_low
    }
  }

  /** A signal limit inside the signal's range, and a deadband that lets it clear there. */
  private static void signalLimit(AlarmSpec a, int i, double v, Context ctx, List<Finding> out) {
    Range r = ctx.signalRanges().get(a.source());
    if (r == null) {
      return;
    }
    String kind = a.kind();
    String where = " the range of '" + a.source() + "' " + show(r);
    boolean high = kind.equals("high_high") || kind.equals("high");
    if (high && v >= r.max()) {
      out.add(
          new Finding(
              i,
              "limit",
              number(v) + " is not below the top of" + where + ": the alarm could never activate",
              -1));
    } else if (!high && v <= r.min()) {
      out.add(
          new Finding(
              i,
              "limit",
              number(v)
                  + " is not above the bottom of"
                  + where
                  + ": the alarm could never activate",
              -1));
    } else if (high ? v <= r.min() : v >= r.max()) {
      out.add(
          new Finding(
              i,
              "limit",
              number(v) + " is not inside" + where + ": the alarm would always be active",
              -1));
    } else if (!kind.equals("predicted_low")) {
      double d = a.deadbandOrZero();
      if (high ? v - d <= r.min() : v + d >= r.max()) {
        out.add(
            new Finding(
                i,
                "deadband",
                number(d)
                    + " takes the clearing point "
                    + number(high ? v - d : v + d)
                    + (high ? " to or below the bottom of" : " to or above the top of")
                    + where
                    + ": the alarm could never clear",
                -1));
      }
    }
  }

  private static String limitMeaning(String kind) {
    return switch (kind) {
      case "high_high", "high", "low", "low_low" -> "in the signal's units";
      case "deviation" -> "|pv - setpoint| in the pv's units";
      case "rate_of_change" -> "signal units per minute";
      case "bad_quality_or_stale" -> "the largest age of a value, s";
      case "loop_saturated" -> "how long the output may stay saturated, s";
      case "spool_growing" -> "the largest age of unsent telemetry, s";
      case "our_decline" -> "the decline of the oxygen uptake rate, %";
      case "predicted_low" -> "the floor the trend must not cross, signal units";
      default -> "unused";
    };
  }

  private static void window(AlarmSpec a, int i, List<Finding> out) {
    String kind = a.kind();
    if (a.windowS() != null && !WINDOW_KINDS.contains(kind)) {
      out.add(
          new Finding(
              i,
              "windowS",
              kind
                  + " has no window (only rate_of_change, our_decline and predicted_low look back)",
              -1));
    } else if ((kind.equals("our_decline") || kind.equals("predicted_low"))
        && !(a.windowSOrZero() > 0)) {
      out.add(
          new Finding(
              i, "windowS", kind + " needs windowS > 0: how far back the trend looks, s", -1));
    }
    if (kind.equals("predicted_low")) {
      if (!(a.horizonSOrZero() > 0)) {
        out.add(
            new Finding(
                i,
                "horizonS",
                "predicted_low needs horizonS > 0: how far ahead a crossing is announced, s",
                -1));
      } else if (a.windowSOrZero() > 0 && a.horizonSOrZero() > 4 * a.windowSOrZero()) {
        out.add(
            new Finding(
                i,
                "horizonS",
                number(a.horizonSOrZero())
                    + " s looks more than 4 times as far ahead as the trend looks back (windowS "
                    + number(a.windowSOrZero())
                    + " s): such a prediction is noise",
                -1));
      }
    } else if (a.horizonS() != null) {
      out.add(new Finding(i, "horizonS", "only predicted_low has a horizon (remove it)", -1));
    }
  }

  private static void suppression(AlarmSpec a, int i, Context ctx, List<Finding> out) {
    AlarmSpec.SuppressWhen s = a.suppressWhen();
    if (s == null || s.loop() == null) {
      return;
    }
    Boolean hasCascade = ctx.loops().get(s.loop());
    if (hasCascade == null) {
      out.add(
          new Finding(
              i,
              "suppressWhen.loop",
              "no loop '"
                  + s.loop()
                  + "' in this profile (loops: "
                  + (ctx.loops().isEmpty()
                      ? "none"
                      : String.join(", ", new TreeSet<>(ctx.loops().keySet())))
                  + ")",
              -1));
    } else if ("cascade".equals(s.mode()) && !hasCascade) {
      out.add(
          new Finding(
              i,
              "suppressWhen.mode",
              "loop '"
                  + s.loop()
                  + "' has no cascade section, so it is never in cascade: the alarm would never be suppressed",
              -1));
    }
  }

  /** HH ≥ H > L ≥ LL among the definitions on one signal. */
  private static void ordering(List<AlarmSpec> alarms, Context ctx, List<Finding> out) {
    Map<String, Integer> rank = Map.of("high_high", 3, "high", 2, "low", 1, "low_low", 0);
    for (int j = 0; j < alarms.size(); j++) {
      AlarmSpec b = alarms.get(j);
      if (!ranked(b, rank, ctx)) {
        continue;
      }
      for (int i = 0; i < j; i++) {
        AlarmSpec a = alarms.get(i);
        if (!ranked(a, rank, ctx) || !a.source().equals(b.source())) {
          continue;
        }
        int ra = rank.get(a.kind());
        int rb = rank.get(b.kind());
        if (ra == rb) {
          continue;
        }
        AlarmSpec upper = ra > rb ? a : b;
        AlarmSpec lower = ra > rb ? b : a;
        int ru = Math.max(ra, rb);
        int rl = Math.min(ra, rb);
        boolean sameSide = (ru == 3 && rl == 2) || (ru == 1 && rl == 0);
        double hi = upper.limit();
        double lo = lower.limit();
        boolean ok = sameSide ? hi >= lo : hi > lo;
        if (!ok) {
          out.add(
              new Finding(
                  j,
                  "limit",
                  b.kind()
                      + " limit "
                      + number(b.limit())
                      + " and the "
                      + a.kind()
                      + " limit "
                      + number(a.limit())
                      + " of '"
                      + a.id()
                      + "' on signal '"
                      + a.source()
                      + "' break the order HH ≥ H > L ≥ LL",
                  i));
        } else if (!sameSide) {
          double upperClears = hi - upper.deadbandOrZero();
          double lowerClears = lo + lower.deadbandOrZero();
          if (upperClears <= lo || lowerClears >= hi) {
            boolean upperBad = upperClears <= lo;
            AlarmSpec bad = upperBad ? upper : lower;
            AlarmSpec other = upperBad ? lower : upper;
            out.add(
                new Finding(
                    bad == b ? j : i,
                    "deadband",
                    number(bad.deadbandOrZero())
                        + " is not smaller than the gap of "
                        + number(hi - lo)
                        + " between the "
                        + upper.kind()
                        + " limit "
                        + number(hi)
                        + " and the "
                        + lower.kind()
                        + " limit "
                        + number(lo)
                        + " of '"
                        + other.id()
                        + "': '"
                        + bad.id()
                        + "' would not clear before '"
                        + other.id()
                        + "' activates",
                    bad == b ? i : j));
          }
        }
      }
    }
  }

  private static boolean ranked(AlarmSpec a, Map<String, Integer> rank, Context ctx) {
    return a != null
        && a.kind() != null
        && rank.containsKey(a.kind())
        && a.source() != null
        && a.limit() != null
        && ctx.signalRanges().containsKey(a.source());
  }
}

package io.hepaloop.recipe;

import static io.hepaloop.profile.SchemaValidation.number;
import static io.hepaloop.profile.YamlDocument.child;
import static io.hepaloop.profile.YamlDocument.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.profile.AlarmChecks;
import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.YamlDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the JSON Schema cannot say about a recipe: that it is written for this profile, that every
 * loop, alarm and signal it names exists there, that every setpoint (step, ramp start and end) lies
 * inside the loop's {@code setpointLimits}, that a ramp ends within its phase, and that each phase
 * has exactly one way to end. Works on the raw tree and checks a rule only when the values it needs
 * have the right type, so that a field the schema already refused is not reported twice.
 *
 * <p>Also works out where each setpoint stands when a phase starts (the profile's default, then
 * each phase's last value), which fills in a ramp written without {@code from}; {@link #rampStarts}
 * hands those to the loader.
 */
final class RecipeChecks {
  private final YamlDocument doc;
  private final DeviceProfile profile;
  private final List<Problem> problems = new ArrayList<>();
  private final Map<String, Double> standing = new HashMap<>();
  private final Map<String, Double> rampStarts = new HashMap<>();

  private RecipeChecks(YamlDocument doc, DeviceProfile profile) {
    this.doc = doc;
    this.profile = profile;
    for (LoopSpec l : profile.loops()) {
      standing.put(l.id(), l.setpoint());
      if (l.cascade() != null) {
        standing.put(l.id() + ".cascade", l.cascade().setpoint());
      }
    }
  }

  /** Every problem, and the start of each ramp by its path ({@code phases[1].setpoints[0]}). */
  record Result(List<Problem> problems, Map<String, Double> rampStarts) {}

  static Result check(YamlDocument doc, DeviceProfile profile) {
    RecipeChecks c = new RecipeChecks(doc, profile);
    JsonNode root = doc.root();
    if (root != null && root.isObject()) {
      c.profileName(root.path("profile"));
      c.phases(root.path("phases"));
    }
    return new Result(c.problems, c.rampStarts);
  }

  private void report(String path, String message) {
    problems.add(doc.problem(path, message));
  }

  private void profileName(JsonNode name) {
    if (name.isTextual() && !name.asText().equals(profile.model())) {
      report(
          "profile",
          "this recipe is written for profile '"
              + name.asText()
              + "', but it is checked against '"
              + profile.model()
              + "' (give the right --profile, or fix the recipe)");
    }
  }

  private void phases(JsonNode phases) {
    if (!phases.isArray()) {
      return;
    }
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < phases.size(); i++) {
      JsonNode phase = phases.get(i);
      String path = index("phases", i);
      if (!phase.isObject()) {
        continue;
      }
      String id = phase.path("id").isTextual() ? phase.path("id").asText() : "#" + (i + 1);
      if (phase.path("id").isTextual()) {
        String first = ids.putIfAbsent(id, path);
        if (first != null) {
          report(
              child(path, "id"),
              "phase id '" + id + "' is already used at line " + doc.lineOf(first));
        }
      }
      Double afterH = num(phase.path("transition").path("afterH"));
      setpoints(phase.path("setpoints"), child(path, "setpoints"), id, afterH);
      alarms(phase.path("alarms"), child(path, "alarms"), id);
      prompts(phase.path("prompts"), child(path, "prompts"), id);
      transition(phase.path("transition"), child(path, "transition"), id);
    }
  }

  // --- setpoints ------------------------------------------------------------------------------

  private void setpoints(JsonNode list, String listPath, String phase, Double afterH) {
    if (!list.isArray()) {
      return;
    }
    Map<String, String> seen = new HashMap<>();
    Map<String, Double> ends = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode sp = list.get(i);
      String path = index(listPath, i);
      if (!sp.isObject() || !sp.path("loop").isTextual()) {
        continue;
      }
      String loopId = sp.path("loop").asText();
      LoopSpec loop =
          profile.loops().stream().filter(l -> l.id().equals(loopId)).findFirst().orElse(null);
      if (loop == null) {
        report(
            child(path, "loop"),
            "phase '"
                + phase
                + "': profile "
                + profile.model()
                + " has no loop '"
                + loopId
                + "' (loops: "
                + String.join(", ", profile.loops().stream().map(LoopSpec::id).toList())
                + ")");
        continue;
      }
      boolean cascade = "cascade".equals(sp.path("controller").asText(null));
      if (cascade && loop.cascade() == null) {
        report(
            child(path, "controller"),
            "phase '" + phase + "': loop " + loopId + " has no cascade controller");
        continue;
      }
      String key = cascade ? loopId + ".cascade" : loopId;
      String first = seen.putIfAbsent(key, path);
      if (first != null) {
        report(
            path,
            "phase '"
                + phase
                + "': setpoint of "
                + key
                + " is already given at line "
                + doc.lineOf(first)
                + ": one entry per loop and controller");
        continue;
      }
      boolean hasValue = sp.has("value");
      boolean hasRamp = sp.has("ramp");
      if (hasValue == hasRamp) {
        report(
            path,
            "phase '"
                + phase
                + "': setpoint of "
                + key
                + " needs exactly one of value (a step) or ramp");
        continue;
      }
      Range limits = cascade ? loop.cascade().setpointLimits() : loop.setpointLimits();
      String unit = unit(cascade ? loop.cascade().pv() : loop.pv());
      if (hasValue) {
        Double v = num(sp.path("value"));
        if (v != null) {
          within(child(path, "value"), phase, key, v, limits, unit);
          ends.put(key, v);
        }
        continue;
      }
      JsonNode ramp = sp.path("ramp");
      Double from = num(ramp.path("from"));
      Double to = num(ramp.path("to"));
      Double overH = num(ramp.path("overH"));
      if (from != null) {
        within(child(path, "ramp.from"), phase, key, from, limits, unit);
      } else {
        from = standing.get(key);
      }
      rampStarts.put(path, from);
      if (to != null) {
        within(child(path, "ramp.to"), phase, key, to, limits, unit);
        ends.put(key, to);
      }
      if (overH != null && afterH != null && overH > afterH) {
        report(
            child(path, "ramp.overH"),
            "phase '"
                + phase
                + "': the ramp of "
                + key
                + " takes "
                + number(overH)
                + " h, but the phase ends after "
                + number(afterH)
                + " h: it would never reach "
                + (to == null ? "its end" : number(to) + " " + unit));
      }
    }
    standing.putAll(ends);
  }

  private void within(String path, String phase, String key, double v, Range limits, String unit) {
    if (!limits.contains(v)) {
      report(
          path,
          "phase '"
              + phase
              + "': setpoint "
              + number(v)
              + " "
              + unit
              + " of loop "
              + key
              + " is outside its limits ["
              + number(limits.min())
              + ", "
              + number(limits.max())
              + "] "
              + unit);
    }
  }

  private String unit(String signalId) {
    return profile.signal(signalId).map(SignalSpec::unit).orElse("");
  }

  // --- alarms ---------------------------------------------------------------------------------

  private void alarms(JsonNode alarms, String path, String phase) {
    if (!alarms.isObject()) {
      return;
    }
    Map<String, String> overridden = new LinkedHashMap<>();
    Map<String, JsonNode> entries = new HashMap<>();
    JsonNode overrides = alarms.path("overrides");
    String overridesPath = child(path, "overrides");
    if (overrides.isArray()) {
      for (int i = 0; i < overrides.size(); i++) {
        JsonNode o = overrides.get(i);
        String p = index(overridesPath, i);
        if (!o.isObject() || !o.path("id").isTextual()) {
          continue;
        }
        String id = o.path("id").asText();
        if (!knownAlarm(child(p, "id"), phase, id, "override")) {
          continue;
        }
        String first = overridden.putIfAbsent(id, p);
        if (first != null) {
          report(
              child(p, "id"),
              "phase '"
                  + phase
                  + "': alarm '"
                  + id
                  + "' is already overridden at line "
                  + doc.lineOf(first)
                  + ": one entry per alarm");
          continue;
        }
        entries.put(id, o);
      }
    }
    JsonNode suppress = alarms.path("suppress");
    if (suppress.isArray()) {
      Map<String, String> seen = new HashMap<>();
      for (int i = 0; i < suppress.size(); i++) {
        String p = index(child(path, "suppress"), i);
        if (!suppress.get(i).isTextual()) {
          continue;
        }
        String id = suppress.get(i).asText();
        if (!knownAlarm(p, phase, id, "suppress")) {
          continue;
        }
        if (seen.putIfAbsent(id, p) != null) {
          report(p, "phase '" + phase + "': alarm '" + id + "' is listed twice");
        } else if (overridden.containsKey(id)) {
          report(
              p,
              "phase '"
                  + phase
                  + "': alarm '"
                  + id
                  + "' is both overridden (line "
                  + doc.lineOf(overridden.get(id))
                  + ") and suppressed: choose one");
        }
      }
    }
    if (!entries.isEmpty()) {
      recheck(entries, overridden, overridesPath, phase);
    }
  }

  private boolean knownAlarm(String path, String phase, String id, String what) {
    if (profile.alarm(id).isPresent()) {
      return true;
    }
    report(
        path,
        "phase '"
            + phase
            + "': no alarm '"
            + id
            + "' in profile "
            + profile.model()
            + " to "
            + what
            + " (alarms: "
            + (profile.alarms().isEmpty()
                ? "none"
                : String.join(
                    ", ", new TreeSet<>(profile.alarms().stream().map(AlarmSpec::id).toList())))
            + ")");
    return false;
  }

  /**
   * The profile's alarm rules (HH ≥ H > L ≥ LL, deadbands, ranges) on the phase's effective set.
   */
  private void recheck(
      Map<String, JsonNode> entries, Map<String, String> paths, String listPath, String phase) {
    List<AlarmSpec> effective = new ArrayList<>();
    for (AlarmSpec a : profile.alarms()) {
      JsonNode o = entries.get(a.id());
      effective.add(
          o == null
              ? a
              : a.overridden(
                  num(o.path("limit")),
                  num(o.path("deadband")),
                  num(o.path("onDelayS")),
                  num(o.path("offDelayS")),
                  o.path("priority").isTextual() ? o.path("priority").asText() : null,
                  num(o.path("reAlarmAfterS"))));
    }
    for (AlarmChecks.Finding f : AlarmChecks.check(effective, AlarmChecks.Context.of(profile))) {
      AlarmSpec alarm = effective.get(f.index());
      AlarmSpec other = f.otherIndex() < 0 ? null : effective.get(f.otherIndex());
      String path;
      if (paths.containsKey(alarm.id())) {
        String entry = paths.get(alarm.id());
        path = entries.get(alarm.id()).has(f.field()) ? child(entry, f.field()) : entry;
      } else if (other != null && paths.containsKey(other.id())) {
        path = paths.get(other.id());
      } else {
        path = listPath;
      }
      report(
          path,
          "phase '"
              + phase
              + "': alarm '"
              + alarm.id()
              + "', after this phase's overrides: "
              + (path.endsWith("." + f.field()) ? "" : f.field() + ": ")
              + f.message());
    }
  }

  // --- prompts and transition -----------------------------------------------------------------

  private void prompts(JsonNode prompts, String path, String phase) {
    if (!prompts.isArray()) {
      return;
    }
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < prompts.size(); i++) {
      JsonNode id = prompts.get(i).path("id");
      String p = index(path, i);
      if (id.isTextual() && ids.putIfAbsent(id.asText(), p) != null) {
        report(
            child(p, "id"),
            "phase '" + phase + "': prompt id '" + id.asText() + "' is already used in this phase");
      }
    }
  }

  private void transition(JsonNode t, String path, String phase) {
    if (!t.isObject()) {
      return;
    }
    int kinds =
        (t.has("afterH") ? 1 : 0) + (t.has("condition") ? 1 : 0) + (t.has("confirm") ? 1 : 0);
    if (kinds != 1) {
      report(
          path,
          "phase '"
              + phase
              + "': the transition needs exactly one of afterH (time elapsed), condition (on a signal) or confirm (an operator's confirmation)"
              + (kinds == 0 ? "" : ", not " + kinds));
    }
    JsonNode c = t.path("condition");
    if (!c.isObject()) {
      return;
    }
    JsonNode signal = c.path("signal");
    if (signal.isTextual()) {
      String s = signal.asText();
      boolean sensor =
          profile.sensors().stream().anyMatch(x -> x.id().equals(s))
              || Recipe.Condition.OUR.equals(s);
      if (!sensor) {
        report(
            child(child(path, "condition"), "signal"),
            "phase '"
                + phase
                + "': '"
                + s
                + "' is no sensor of profile "
                + profile.model()
                + " (sensors: "
                + String.join(", ", profile.sensors().stream().map(SignalSpec::id).toList())
                + ", or our: the oxygen uptake rate)");
      }
    }
    int tests =
        (c.has("above") ? 1 : 0) + (c.has("below") ? 1 : 0) + (c.has("stableWithinPct") ? 1 : 0);
    if (tests != 1) {
      report(
          child(path, "condition"),
          "phase '"
              + phase
              + "': the condition needs exactly one of above, below or stableWithinPct"
              + (tests == 0 ? "" : ", not " + tests));
    }
  }

  private static Double num(JsonNode n) {
    return n.isNumber() ? n.doubleValue() : null;
  }
}

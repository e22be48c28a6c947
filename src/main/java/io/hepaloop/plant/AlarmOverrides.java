package io.hepaloop.plant;

import static io.hepaloop.profile.YamlDocument.child;
import static io.hepaloop.profile.YamlDocument.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.profile.AlarmChecks;
import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.YamlDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A reactor's {@code alarms:} in the plant configuration: per alarm id of its profile, other values
 * for {@link AlarmSpec#OVERRIDABLE} fields, or {@code enabled: false} to drop the alarm. An id the
 * profile does not define is an error naming it. The profile's rules ({@link AlarmChecks}: HH ≥ H >
 * L ≥ LL, deadbands that clear, limits inside the range) run again on the effective set, and a
 * problem is reported at the override that caused it.
 */
final class AlarmOverrides {
  private final YamlDocument doc;
  private final List<Problem> problems;

  AlarmOverrides(YamlDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  /**
   * {@code profile} with this reactor's overrides applied; {@code profile} itself when {@code
   * overrides} (the reactor's {@code alarms} node) is absent.
   */
  DeviceProfile apply(JsonNode overrides, String reactorPath, DeviceProfile profile) {
    if (!overrides.isArray()) {
      return profile;
    }
    String listPath = child(reactorPath, "alarms");
    Map<String, String> entryPaths = new LinkedHashMap<>();
    Map<String, JsonNode> entries = new HashMap<>();
    for (int i = 0; i < overrides.size(); i++) {
      JsonNode o = overrides.get(i);
      String path = index(listPath, i);
      if (!o.isObject() || !o.path("id").isTextual()) {
        continue; // the schema names it
      }
      String id = o.path("id").asText();
      if (profile.alarm(id).isEmpty()) {
        problems.add(
            doc.problem(
                child(path, "id"),
                "no alarm '"
                    + id
                    + "' in profile "
                    + profile.model()
                    + " to override (alarms: "
                    + (profile.alarms().isEmpty()
                        ? "none"
                        : String.join(
                            ", ",
                            new TreeSet<>(profile.alarms().stream().map(AlarmSpec::id).toList())))
                    + ")"));
        continue;
      }
      String previous = entryPaths.putIfAbsent(id, path);
      if (previous != null) {
        problems.add(
            doc.problem(
                child(path, "id"),
                "alarm '"
                    + id
                    + "' is already overridden at "
                    + previous
                    + " (line "
                    + doc.lineOf(previous)
                    + "): one entry per alarm"));
        continue;
      }
      entries.put(id, o);
      if (o.path("enabled").isBoolean() && !o.path("enabled").booleanValue()) {
        for (String field : AlarmSpec.OVERRIDABLE) {
          if (o.has(field)) {
            problems.add(
                doc.problem(
                    child(path, field),
                    "alarm '"
                        + id
                        + "' is disabled (enabled: false): this override has no effect"));
          }
        }
      }
    }
    List<AlarmSpec> effective = new ArrayList<>();
    for (AlarmSpec a : profile.alarms()) {
      JsonNode o = entries.get(a.id());
      if (o == null) {
        effective.add(a);
      } else if (!(o.path("enabled").isBoolean() && !o.path("enabled").booleanValue())) {
        effective.add(
            a.overridden(
                number(o, "limit"),
                number(o, "deadband"),
                number(o, "onDelayS"),
                number(o, "offDelayS"),
                o.path("priority").isTextual() ? o.path("priority").asText() : null,
                number(o, "reAlarmAfterS")));
      }
    }
    if (!entries.isEmpty()) {
      recheck(effective, profile, entryPaths, entries, listPath);
    }
    return profile.withAlarms(effective);
  }

  private void recheck(
      List<AlarmSpec> effective,
      DeviceProfile profile,
      Map<String, String> entryPaths,
      Map<String, JsonNode> entries,
      String listPath) {
    for (AlarmChecks.Finding f : AlarmChecks.check(effective, AlarmChecks.Context.of(profile))) {
      AlarmSpec alarm = effective.get(f.index());
      AlarmSpec other = f.otherIndex() < 0 ? null : effective.get(f.otherIndex());
      String path;
      if (entryPaths.containsKey(alarm.id())) {
        String entry = entryPaths.get(alarm.id());
        path = entries.get(alarm.id()).has(f.field()) ? child(entry, f.field()) : entry;
      } else if (other != null && entryPaths.containsKey(other.id())) {
        path = entryPaths.get(other.id());
      } else {
        path = listPath;
      }
      problems.add(
          doc.problem(
              path,
              "alarm '"
                  + alarm.id()
                  + "' of profile "
                  + profile.model()
                  + ", after this reactor's overrides: "
                  + (path.endsWith("." + f.field()) ? "" : f.field() + ": ")
                  + f.message()));
    }
  }

  private static Double number(JsonNode o, String key) {
    return o.path(key).isNumber() ? o.path(key).doubleValue() : null;
  }
}

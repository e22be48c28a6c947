package io.hepaloop.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.YamlDocument;
import io.hepaloop.sim.model.Bound;
import io.hepaloop.sim.model.ReactorParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates scenario files ({@code simulators/*.yaml}). A bad file is refused with every
 * problem listed as {@code file:line: path: what is wrong}, so a typo in a 40-event timeline is one
 * run away from fixed, not one per run.
 *
 * <p>Every number is bounded by physics ({@link ReactorParameters#BOUNDS}, {@link
 * Scenario#valueBound}, times at most a year, outages at most an hour) and refused with the allowed
 * range: an ambient of 1e308 °C or a start at 1e400 s (which YAML reads as infinity) never reaches
 * the model. The file itself is read as device profiles are ({@link YamlDocument}): at most 1 MiB,
 * UTF-8 text, parsed once.
 *
 * <pre>
 * name: door-open
 * description: ...
 * parameters:              # ReactorParameters fields (see Scenario.parameterNames())
 *   ambientC: 35
 * timeline:
 *   - at: 5m               # simulated time: 90, 90s, 1.5m, 2h, 1d (bare numbers are seconds)
 *     action: ambient      # see Scenario.Action
 *     value: 24
 *     ramp: 30s            # optional, ambient/clog/leak/cell-demand
 *     duration: 3m         # optional: reverts after this long
 *     reactors: [r2]       # optional: only these reactors (default: every reactor)
 * </pre>
 */
public final class ScenarioLoader {
  private static final Pattern TIME =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|min|h|d)?\\s*");
  private static final Set<String> TOP = Set.of("name", "description", "parameters", "timeline");
  private static final Set<String> EVENT =
      Set.of("at", "action", "signal", "value", "duration", "ramp", "reactors");

  private ScenarioLoader() {}

  /** Thrown with every problem of a file, one per line. */
  public static final class InvalidScenarioException extends IllegalArgumentException {
    private final List<String> problems;

    InvalidScenarioException(List<String> problems) {
      super("invalid scenario:\n  " + String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Loads a scenario and checks it on its own (sensor names are checked against no profile). */
  public static Scenario load(Path file) {
    return load(file, null);
  }

  /**
   * Loads a scenario and checks that every signal it names is a sensor of {@code profile}. Read
   * like a device profile: at most 1 MiB, UTF-8 text, parsed once, every problem located.
   */
  public static Scenario load(Path file, DeviceProfile profile) {
    return check(YamlDocument.read(file, "scenarios"), profile);
  }

  /** Resolves {@code --scenario NAME}: a path, or a name under {@code simulators/}. */
  public static Path resolve(String nameOrPath, Path simulatorsDir) {
    Path p = Path.of(nameOrPath);
    if (Files.exists(p)) {
      return p;
    }
    Path named =
        simulatorsDir.resolve(nameOrPath.endsWith(".yaml") ? nameOrPath : nameOrPath + ".yaml");
    if (Files.exists(named)) {
      return named;
    }
    List<String> known = new ArrayList<>();
    try (var s = Files.list(simulatorsDir)) {
      s.map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .sorted()
          .forEach(f -> known.add(f.substring(0, f.length() - 5)));
    } catch (IOException ignored) {
      // no directory: the message says where we looked
    }
    throw new IllegalArgumentException(
        "no scenario '"
            + nameOrPath
            + "' (not a file, and not in "
            + simulatorsDir
            + (known.isEmpty() ? "" : "; known: " + String.join(", ", known))
            + ")");
  }

  /** Checks scenario text; {@code source} names it in problems (tests, generated scenarios). */
  public static Scenario parse(String source, String yaml, DeviceProfile profile) {
    return check(YamlDocument.parse(source, yaml), profile);
  }

  private static Scenario check(YamlDocument doc, DeviceProfile profile) {
    Problems problems = new Problems(doc);
    JsonNode root = doc.root();
    if (root == null) {
      throw problems.exception();
    }
    if (!root.isObject()) {
      problems.add("", "a scenario is a mapping with name, description, parameters and timeline");
      throw problems.exception();
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) {
        problems.add("/" + f, "unknown field (allowed: name, description, parameters, timeline)");
      }
    }
    String name = text(root, "name", "", problems);
    if (name == null || name.isBlank()) {
      problems.add("/name", "required: the scenario's name");
    }
    String description = text(root, "description", "", problems);

    Map<String, Double> parameters = new LinkedHashMap<>();
    JsonNode params = root.get("parameters");
    if (params != null && !params.isNull()) {
      if (!params.isObject()) {
        problems.add("/parameters", "must be a mapping of model parameter → number");
      } else {
        int beforeParameters = problems.size();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String path = "/parameters/" + e.getKey();
          if (!Scenario.parameterNames().contains(e.getKey())) {
            problems.add(
                path,
                "unknown model parameter (known: "
                    + String.join(", ", Scenario.parameterNames())
                    + ")");
          } else if (!e.getValue().isNumber()) {
            problems.add(path, "must be a number, got '" + e.getValue().asText() + "'");
          } else {
            String outOfRange =
                ReactorParameters.BOUNDS.get(e.getKey()).problem(e.getValue().asDouble());
            if (outOfRange != null) {
              problems.add(path, outOfRange);
            } else {
              parameters.put(e.getKey(), e.getValue().asDouble());
            }
          }
        }
        if (problems.size() == beforeParameters && !parameters.isEmpty()) {
          try { // each is in range; together they may not be (vapour above barometric, cells beyond
            // a liver)
            new Scenario("check", "", parameters, List.of()).applyTo(ReactorParameters.defaults());
          } catch (IllegalArgumentException ex) {
            problems.add("/parameters", ex.getMessage());
          }
        }
      }
    }

    List<Scenario.Event> events = new ArrayList<>();
    JsonNode timeline = root.get("timeline");
    if (timeline != null && !timeline.isNull()) {
      if (!timeline.isArray()) {
        problems.add("/timeline", "must be a list of events");
      } else {
        for (int i = 0; i < timeline.size(); i++) {
          event(timeline.get(i), "/timeline/" + i, profile, problems).ifPresent(events::add);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw problems.exception();
    }
    return new Scenario(name, description, parameters, events);
  }

  private static Optional<Scenario.Event> event(
      JsonNode n, String path, DeviceProfile profile, Problems problems) {
    if (!n.isObject()) {
      problems.add(path, "an event is a mapping with at, action and its arguments");
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!EVENT.contains(f)) {
        problems.add(
            path + "/" + f,
            "unknown field (allowed: at, action, signal, value, duration, ramp, reactors)");
      }
    }
    double at = time(n, "at", path, problems, true);
    Scenario.Action action = null;
    String actionText = text(n, "action", path, problems);
    if (actionText == null) {
      problems.add(path + "/action", "required");
    } else {
      try {
        action = Scenario.Action.fromYaml(actionText);
      } catch (IllegalArgumentException e) {
        problems.add(path + "/action", e.getMessage());
      }
    }
    String signal = text(n, "signal", path, problems);
    double value = Double.NaN;
    JsonNode v = n.get("value");
    if (v != null) {
      if (v.isNumber()) {
        value = v.asDouble();
      } else {
        problems.add(path + "/value", "must be a number, got '" + v.asText() + "'");
      }
    }
    boolean outage = action == Scenario.Action.COMMS_DROP || action == Scenario.Action.RESTART;
    double duration =
        time(
            n,
            "duration",
            path,
            problems,
            false,
            outage ? Scenario.OUTAGE_S : Scenario.SIMULATED_S);
    double ramp = time(n, "ramp", path, problems, false);
    List<String> reactors = reactorIds(n.get("reactors"), path + "/reactors", problems);
    if (action != null) {
      if (action.needsSignal && signal == null) {
        problems.add(path, action.yamlName + " needs 'signal' (a sensor id)");
      }
      if (!action.needsSignal && signal != null) {
        problems.add(path + "/signal", action.yamlName + " takes no signal");
      }
      boolean valueRefused =
          problems.refused(path + "/value"); // already reported where it was read
      if (action.needsValue
          && Double.isNaN(value)
          && action != Scenario.Action.SENSOR_SPIKE
          && !valueRefused) {
        problems.add(path, action.yamlName + " needs 'value'");
      }
      if (action == Scenario.Action.SENSOR_SPIKE && Double.isNaN(value) && !valueRefused) {
        problems.add(
            path, "sensor-spike needs 'value' (the size of the spike, in the sensor's units)");
      }
      if (!Double.isNaN(ramp)
          && !Set.of(
                  Scenario.Action.AMBIENT,
                  Scenario.Action.CLOG,
                  Scenario.Action.LEAK,
                  Scenario.Action.CELL_DEMAND)
              .contains(action)) {
        problems.add(path + "/ramp", "only ambient, clog, leak and cell-demand can ramp");
      }
      if (!action.needsValue && v != null) {
        problems.add(path + "/value", action.yamlName + " takes no value");
      }
      int beforeValue = problems.size();
      if (action == Scenario.Action.CLOG && !Double.isNaN(value) && value < 1) {
        problems.add(
            path + "/value",
            "clog raises the scaffold resistance: factor >= 1 (use leak below 1), got " + value);
      }
      if (action == Scenario.Action.LEAK && !Double.isNaN(value) && value > 1) {
        problems.add(
            path + "/value",
            "leak lowers the scaffold resistance: factor <= 1 (use clog above 1), got " + value);
      }
      if (action.needsValue && !Double.isNaN(value) && problems.size() == beforeValue) {
        String outOfRange = Scenario.valueBound(action, sensor(profile, signal)).problem(value);
        if (outOfRange != null) {
          problems.add(path + "/value", outOfRange);
        }
      }
      if (signal != null && profile != null && action.needsSignal) {
        Optional<SignalSpec> s = profile.signal(signal);
        if (s.isEmpty()) {
          problems.add(
              path + "/signal",
              "profile "
                  + profile.model()
                  + " has no signal '"
                  + signal
                  + "' (sensors: "
                  + String.join(", ", profile.sensors().stream().map(SignalSpec::id).toList())
                  + ")");
        } else if (s.get().kind() != SignalKind.SENSOR) {
          problems.add(
              path + "/signal", "'" + signal + "' is an actuator; sensor faults need a sensor");
        }
      }
    }
    if (problems.size() > before || action == null) {
      return Optional.empty();
    }
    return Optional.of(new Scenario.Event(at, action, signal, value, duration, ramp, reactors));
  }

  /** {@code reactors: [r1, r2]} or {@code reactors: r1}; absent = every reactor. */
  private static List<String> reactorIds(JsonNode n, String path, Problems problems) {
    List<String> ids = new ArrayList<>();
    if (n == null || n.isNull()) {
      return ids;
    }
    if (n.isTextual() && !n.asText().isBlank()) {
      ids.add(n.asText());
      return ids;
    }
    if (!n.isArray() || n.isEmpty()) {
      problems.add(path, "must be a reactor id or a non-empty list of reactor ids, e.g. [r1, r3]");
      return ids;
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode id = n.get(i);
      if (!id.isTextual() || id.asText().isBlank()) {
        problems.add(path + "/" + i, "must be a reactor id, got '" + id.asText() + "'");
      } else {
        ids.add(id.asText());
      }
    }
    return ids;
  }

  private static String text(JsonNode n, String field, String path, Problems problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problems.add(path + "/" + field, "must be text, got " + v);
      return null;
    }
    return v.asText();
  }

  /**
   * Seconds from {@code 90}, {@code "90s"}, {@code "1.5m"}, {@code "2h"}, {@code "1d"}, {@code
   * "500ms"}.
   */
  static double parseSeconds(String text) {
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time (e.g. 90, 90s, 1.5m, 2h, 1d, 500ms)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> v / 1000;
      case "m", "min" -> v * 60;
      case "h" -> v * 3600;
      case "d" -> v * 86400;
      default -> v;
    };
  }

  /**
   * The sensor {@code signal} of {@code profile}, when both are known; its range bounds spikes and
   * drift.
   */
  private static SignalSpec sensor(DeviceProfile profile, String signal) {
    return profile == null || signal == null
        ? null
        : profile.signal(signal).filter(s -> s.kind() == SignalKind.SENSOR).orElse(null);
  }

  private static double time(
      JsonNode n, String field, String path, Problems problems, boolean required) {
    return time(n, field, path, problems, required, Scenario.SIMULATED_S);
  }

  private static double time(
      JsonNode n, String field, String path, Problems problems, boolean required, Bound bound) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(path + "/" + field, "required: when it happens (e.g. 90s, 10m, 2h)");
      }
      return Double.NaN;
    }
    try {
      double s = v.isNumber() ? v.asDouble() : parseSeconds(v.asText());
      if (s < 0) {
        problems.add(path + "/" + field, "must not be negative");
      } else if (bound.problem(s) != null) {
        problems.add(path + "/" + field, bound.problem(s));
      }
      return s;
    } catch (IllegalArgumentException e) {
      problems.add(path + "/" + field, e.getMessage());
      return Double.NaN;
    }
  }

  /**
   * Problems as {@code file:line: /json/pointer: message}, located through the document's lines. A
   * problem at a value the reading already refused (a number that reads as infinity) is not
   * repeated.
   */
  private static final class Problems {
    private final YamlDocument doc;
    private final List<Problem> list = new ArrayList<>();

    Problems(YamlDocument doc) {
      this.doc = doc;
      for (Problem p : doc.problems()) {
        list.add(new Problem(p.file(), p.line(), pointer(p.path()), p.message()));
      }
    }

    /**
     * True when the value at {@code path} was refused while reading (and so is reported already).
     */
    boolean refused(String path) {
      return doc.refusedValues().contains(docPath(path));
    }

    void add(String path, String message) {
      String docPath = docPath(path);
      if (doc.refusedValues().contains(docPath)) {
        return;
      }
      list.add(
          new Problem(doc.fileName(), doc.lineOf(docPath), path.isEmpty() ? "/" : path, message));
    }

    /**
     * {@code /timeline/0/at} as the document's {@code timeline[0].at}: list indexes where the tree
     * has lists.
     */
    private String docPath(String pointer) {
      String path = "";
      JsonNode node = doc.root();
      for (String segment : pointer.split("/")) {
        if (segment.isEmpty()) {
          continue;
        }
        if (node != null && node.isArray()) {
          int i = Integer.parseInt(segment);
          path = YamlDocument.index(path, i);
          node = node.get(i);
        } else {
          path = YamlDocument.child(path, segment);
          node = node == null ? null : node.get(segment);
        }
      }
      return path;
    }

    /** {@code timeline[0].at} as {@code /timeline/0/at}; {@code (yaml)} and {@code (file)} stay. */
    private static String pointer(String docPath) {
      if (docPath.startsWith("(")) {
        return docPath;
      }
      return "/" + docPath.replace("[", ".").replace("]", "").replace('.', '/');
    }

    int size() {
      return list.size();
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    /** Every problem, by line (in the order found within a line). */
    InvalidScenarioException exception() {
      List<Problem> byLine = new ArrayList<>(list);
      byLine.sort(Comparator.comparingInt(Problem::line));
      return new InvalidScenarioException(byLine.stream().map(Problem::toString).toList());
    }
  }
}

package io.hepaloop.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.model.ReactorParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final Pattern TIME = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|min|h|d)?\\s*");
  private static final Set<String> TOP = Set.of("name", "description", "parameters", "timeline");
  private static final Set<String> EVENT = Set.of("at", "action", "signal", "value", "duration", "ramp", "reactors");

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

  /** Loads a scenario and checks that every signal it names is a sensor of {@code profile}. */
  public static Scenario load(Path file, DeviceProfile profile) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidScenarioException(List.of(file + ": cannot read: " + e.getMessage()));
    }
    return parse(file.toString(), text, profile);
  }

  /** Resolves {@code --scenario NAME}: a path, or a name under {@code simulators/}. */
  public static Path resolve(String nameOrPath, Path simulatorsDir) {
    Path p = Path.of(nameOrPath);
    if (Files.exists(p)) {
      return p;
    }
    Path named = simulatorsDir.resolve(nameOrPath.endsWith(".yaml") ? nameOrPath : nameOrPath + ".yaml");
    if (Files.exists(named)) {
      return named;
    }
    List<String> known = new ArrayList<>();
    try (var s = Files.list(simulatorsDir)) {
      s.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted()
          .forEach(f -> known.add(f.substring(0, f.length() - 5)));
    } catch (IOException ignored) {
      // no directory: the message says where we looked
    }
    throw new IllegalArgumentException("no scenario '" + nameOrPath + "' (not a file, and not in " + simulatorsDir
        + (known.isEmpty() ? "" : "; known: " + String.join(", ", known)) + ")");
  }

  public static Scenario parse(String source, String yaml, DeviceProfile profile) {
    Map<String, Integer> lines = new HashMap<>();
    JsonNode root;
    try (JsonParser p = YAML.createParser(yaml)) {
      JsonToken t = p.nextToken();
      root = t == null ? JsonNodeFactory.instance.objectNode() : read(p, "", lines);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidScenarioException(List.of(source + ":" + line + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidScenarioException(List.of(source + ": " + e.getMessage()));
    }
    Problems problems = new Problems(source, lines);
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
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String path = "/parameters/" + e.getKey();
          if (!Scenario.parameterNames().contains(e.getKey())) {
            problems.add(path, "unknown model parameter (known: " + String.join(", ", Scenario.parameterNames()) + ")");
          } else if (!e.getValue().isNumber()) {
            problems.add(path, "must be a number, got '" + e.getValue().asText() + "'");
          } else {
            parameters.put(e.getKey(), e.getValue().asDouble());
            try {
              new Scenario("check", "", Map.of(e.getKey(), e.getValue().asDouble()), List.of()).applyTo(ReactorParameters.defaults());
            } catch (IllegalArgumentException ex) {
              problems.add(path, ex.getMessage());
            }
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

  private static Optional<Scenario.Event> event(JsonNode n, String path, DeviceProfile profile, Problems problems) {
    if (!n.isObject()) {
      problems.add(path, "an event is a mapping with at, action and its arguments");
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!EVENT.contains(f)) {
        problems.add(path + "/" + f, "unknown field (allowed: at, action, signal, value, duration, ramp, reactors)");
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
    double duration = time(n, "duration", path, problems, false);
    double ramp = time(n, "ramp", path, problems, false);
    List<String> reactors = reactorIds(n.get("reactors"), path + "/reactors", problems);
    if (action != null) {
      if (action.needsSignal && signal == null) {
        problems.add(path, action.yamlName + " needs 'signal' (a sensor id)");
      }
      if (!action.needsSignal && signal != null) {
        problems.add(path + "/signal", action.yamlName + " takes no signal");
      }
      if (action.needsValue && Double.isNaN(value) && action != Scenario.Action.SENSOR_SPIKE) {
        problems.add(path, action.yamlName + " needs 'value'");
      }
      if (action == Scenario.Action.SENSOR_SPIKE && Double.isNaN(value)) {
        problems.add(path, "sensor-spike needs 'value' (the size of the spike, in the sensor's units)");
      }
      if (!Double.isNaN(ramp) && !Set.of(Scenario.Action.AMBIENT, Scenario.Action.CLOG, Scenario.Action.LEAK,
          Scenario.Action.CELL_DEMAND).contains(action)) {
        problems.add(path + "/ramp", "only ambient, clog, leak and cell-demand can ramp");
      }
      if ((action == Scenario.Action.CLOG || action == Scenario.Action.LEAK || action == Scenario.Action.CELL_DEMAND)
          && !Double.isNaN(value) && value < 0) {
        problems.add(path + "/value", "a factor must be >= 0, got " + value);
      }
      if (action == Scenario.Action.CLOG && !Double.isNaN(value) && value < 1) {
        problems.add(path + "/value", "clog raises the scaffold resistance: factor >= 1 (use leak below 1), got " + value);
      }
      if (action == Scenario.Action.LEAK && !Double.isNaN(value) && value > 1) {
        problems.add(path + "/value", "leak lowers the scaffold resistance: factor <= 1 (use clog above 1), got " + value);
      }
      if (signal != null && profile != null && action.needsSignal) {
        Optional<SignalSpec> s = profile.signal(signal);
        if (s.isEmpty()) {
          problems.add(path + "/signal", "profile " + profile.model() + " has no signal '" + signal + "' (sensors: "
              + String.join(", ", profile.sensors().stream().map(SignalSpec::id).toList()) + ")");
        } else if (s.get().kind() != SignalKind.SENSOR) {
          problems.add(path + "/signal", "'" + signal + "' is an actuator; sensor faults need a sensor");
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

  /** Seconds from {@code 90}, {@code "90s"}, {@code "1.5m"}, {@code "2h"}, {@code "1d"}, {@code "500ms"}. */
  static double parseSeconds(String text) {
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a time (e.g. 90, 90s, 1.5m, 2h, 1d, 500ms)");
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

  private static double time(JsonNode n, String field, String path, Problems problems, boolean required) {
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
      }
      return s;
    } catch (IllegalArgumentException e) {
      problems.add(path + "/" + field, e.getMessage());
      return Double.NaN;
    }
  }

  /** Reads a YAML value into a tree, remembering the line of every path. */
  private static JsonNode read(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
    JsonToken t = p.currentToken();
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path + "/" + name;
          lines.put(child, p.currentTokenLocation().getLineNr());
          p.nextToken();
          o.set(name, read(p, child, lines));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, path + "/" + i++, lines));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      default -> {
        return f.nullNode();
      }
    }
  }

  private static final class Problems {
    private final String source;
    private final Map<String, Integer> lines;
    private final List<String> list = new ArrayList<>();

    Problems(String source, Map<String, Integer> lines) {
      this.source = source;
      this.lines = lines;
    }

    void add(String path, String message) {
      String p = path;
      Integer line = null;
      while (line == null && p != null) {
        line = lines.get(p);
        p = p.isEmpty() ? null : p.substring(0, Math.max(0, p.lastIndexOf('/')));
      }
      list.add(source + ":" + (line == null ? 1 : line) + ": " + (path.isEmpty() ? "/" : path) + ": " + message);
    }

    int size() {
      return list.size();
    }

    boolean isEmpty() {
      return list.isEmpty();
    }

    InvalidScenarioException exception() {
      return new InvalidScenarioException(list);
    }
  }
}

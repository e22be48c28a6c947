package io.hepaloop.profile;

import static io.hepaloop.profile.SchemaValidation.number;
import static io.hepaloop.profile.YamlDocument.child;
import static io.hepaloop.profile.YamlDocument.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.core.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the JSON Schema cannot say about a device profile: ids unique, ranges ordered and nested,
 * references between signals, loops and interlocks, NodeId syntax, {@code {reactor}} placement, no
 * password in the file. Works on the raw tree and checks a rule only when the values it needs have
 * the right type, so that a field the schema already refused is not reported twice.
 *
 * <p>The static checks are shared with the plant configuration, which has the same endpoint block.
 */
public final class ProfileChecks {
  static final String REACTOR = "{reactor}";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
  private static final Pattern NODE_ID_PATH =
      Pattern.compile("signals\\[\\d+]\\.nodeId|watchdog\\.nodeId");
  private final YamlDocument doc;
  private final List<Problem> problems = new ArrayList<>();
  private final Map<String, JsonNode> signalsById = new HashMap<>();
  private final Map<String, String> nodeIds = new HashMap<>();

  private ProfileChecks(YamlDocument doc) {
    this.doc = doc;
  }

  /** Every semantic problem of the profile in {@code doc}. */
  public static List<Problem> check(YamlDocument doc) {
    ProfileChecks c = new ProfileChecks(doc);
    JsonNode root = doc.root();
    if (root == null || !root.isObject()) {
      return c.problems;
    }
    literalPasswords(doc, root, "", c.problems);
    c.placeholders(root, "");
    c.endpoint(root.path("endpoint"), "endpoint");
    c.signals(root.path("signals"));
    c.watchdog(root.path("watchdog"));
    c.loops(root.path("loops"));
    c.interlocks(root.path("interlocks"));
    c.alarms(root);
    return c.problems;
  }

  private void report(String path, String message) {
    problems.add(doc.problem(path, message));
  }

  // --- whole-document rules -------------------------------------------------------------------

  /**
   * A {@code password:} key anywhere is refused, with the fix: passwords live in the environment.
   */
  public static void literalPasswords(
      YamlDocument doc, JsonNode node, String path, List<Problem> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = child(path, e.getKey());
        if (e.getKey().equalsIgnoreCase("password")) {
          out.add(
              doc.problem(
                  p,
                  "a password must never be written in a file: remove it and set passwordEnv to "
                      + "the name of the environment variable that holds it"));
        }
        literalPasswords(doc, e.getValue(), p, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        literalPasswords(doc, node.get(i), index(path, i), out);
      }
    }
  }

  /** {@code {reactor}} is filled in NodeIds only; anywhere else it would silently stay literal. */
  private void placeholders(JsonNode node, String path) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().equals("description")) {
                  placeholders(e.getValue(), child(path, e.getKey()));
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        placeholders(node.get(i), index(path, i));
      }
    } else if (node.isTextual()) {
      boolean nodeIdField = NODE_ID_PATH.matcher(path).matches();
      Matcher m = PLACEHOLDER.matcher(node.asText());
      while (m.find()) {
        if (!nodeIdField) {
          report(
              path,
              REACTOR.equals(m.group())
                  ? "{reactor} is only filled in NodeIds (signals[].nodeId, watchdog.nodeId); here it would stay literal"
                  : "'"
                      + m.group()
                      + "' looks like a placeholder, but placeholders are only filled in NodeIds");
        } else if (!REACTOR.equals(m.group())) {
          report(
              path, "unknown placeholder " + m.group() + " in NodeId: the only one is {reactor}");
        }
      }
    }
  }

  // --- endpoint ---------------------------------------------------------------------------------

  /** Shared with the plant configuration: the same endpoint block, the same rules. */
  public static void checkEndpoint(
      YamlDocument doc, JsonNode endpoint, String path, List<Problem> out) {
    if (!endpoint.isObject()) {
      return;
    }
    JsonNode url = endpoint.path("url");
    if (url.isTextual()) {
      String portProblem = portProblem(url.asText());
      if (portProblem != null) {
        out.add(doc.problem(child(path, "url"), portProblem));
      }
    }
    JsonNode policy = endpoint.path("securityPolicy");
    JsonNode mode = endpoint.path("securityMode");
    if (policy.isTextual() && mode.isTextual()) {
      String problem = securityProblem(policy.asText(), mode.asText());
      if (problem != null) {
        out.add(doc.problem(child(path, "securityMode"), problem));
      }
    }
    checkIdentity(doc, endpoint.path("identity"), child(path, "identity"), out);
  }

  /** Null when the pair makes sense; a policy needs Sign or SignAndEncrypt, and None needs None. */
  public static String securityProblem(String policy, String mode) {
    boolean policyNone = "None".equals(policy);
    boolean modeNone = "None".equals(mode);
    if (policyNone && !modeNone) {
      return "'" + mode + "' needs a security policy, but securityPolicy is None";
    }
    if (!policyNone && modeNone) {
      return "is None, but securityPolicy is '"
          + policy
          + "': use Sign or SignAndEncrypt, or policy None";
    }
    return null;
  }

  public static void checkIdentity(
      YamlDocument doc, JsonNode identity, String path, List<Problem> out) {
    if (!identity.isObject() || !identity.path("type").isTextual()) {
      return;
    }
    String type = identity.path("type").asText();
    if (type.equals("username")) {
      if (!identity.has("username")) {
        out.add(doc.problem(child(path, "username"), "identity type username needs a username"));
      }
      if (!identity.has("passwordEnv")) {
        out.add(
            doc.problem(
                child(path, "passwordEnv"),
                "identity type username needs passwordEnv: the name of the environment variable holding the password"));
      }
    } else if (type.equals("anonymous")) {
      for (String key : List.of("username", "passwordEnv")) {
        if (identity.has(key)) {
          out.add(
              doc.problem(
                  child(path, key),
                  "an anonymous identity has no " + key + " (set type: username)"));
        }
      }
    }
  }

  public static String portProblem(String url) {
    Matcher m = Pattern.compile("^opc\\.tcp://[^/:]+:([0-9]+)").matcher(url);
    if (m.find()) {
      int port = Integer.parseInt(m.group(1));
      if (port < 1 || port > 65535) {
        return "port " + port + " in '" + url + "' is not 1..65535";
      }
    }
    return null;
  }

  private void endpoint(JsonNode endpoint, String path) {
    checkEndpoint(doc, endpoint, path, problems);
  }

  // --- signals ----------------------------------------------------------------------------------

  private void signals(JsonNode signals) {
    if (!signals.isArray()) {
      return;
    }
    Map<String, String> firstPath = new HashMap<>();
    for (int i = 0; i < signals.size(); i++) {
      JsonNode nodeId = signals.get(i).path("nodeId");
      if (nodeId.isTextual()) {
        String path = index("signals", i);
        String previous = nodeIds.putIfAbsent(nodeId.asText(), path);
        if (previous != null) {
          report(
              child(path, "nodeId"),
              "same NodeId as "
                  + previous
                  + " (line "
                  + doc.lineOf(previous)
                  + "): two signals would read and write one node");
        }
      }
      JsonNode s = signals.get(i);
      String path = index("signals", i);
      if (!s.isObject()) {
        continue;
      }
      JsonNode id = s.path("id");
      if (id.isTextual()) {
        String previous = firstPath.putIfAbsent(id.asText(), path);
        if (previous != null) {
          report(
              child(path, "id"),
              "duplicate signal id '"
                  + id.asText()
                  + "' (also "
                  + previous
                  + " at line "
                  + doc.lineOf(previous)
                  + ")");
        } else {
          signalsById.put(id.asText(), s);
        }
      }
      signal(s, path);
    }
  }

  private void signal(JsonNode s, String path) {
    nodeId(s.path("nodeId"), child(path, "nodeId"));
    Range range = range(s.path("range"), child(path, "range"));
    String dataType = s.path("dataType").asText("");
    scaling(s.path("scaling"), child(path, "scaling"), dataType);

    String kind = s.path("kind").asText("");
    if (kind.equals("sensor")) {
      for (String key : List.of("allowed", "safeValue")) {
        if (s.has(key)) {
          report(
              child(path, key),
              "only actuators have "
                  + (key.equals("allowed") ? "an allowed range" : "a safe value")
                  + "; this signal is a sensor");
        }
      }
    } else if (kind.equals("actuator")) {
      if (!s.has("allowed")) {
        report(
            child(path, "allowed"),
            "an actuator needs an allowed range: the values a command may ask for");
      }
      if (!s.has("safeValue")) {
        report(
            child(path, "safeValue"),
            "an actuator needs a safe value: where its output goes when the link, a sensor or the controller fails");
      }
      Range allowed = range(s.path("allowed"), child(path, "allowed"));
      if (allowed != null
          && range != null
          && !(range.contains(allowed.min()) && range.contains(allowed.max()))) {
        report(child(path, "allowed"), show(allowed) + " is not inside range " + show(range));
      }
      JsonNode safe = s.path("safeValue");
      if (safe.isNumber()) {
        double v = safe.doubleValue();
        if (allowed != null && !allowed.contains(v)) {
          report(child(path, "safeValue"), number(v) + " is outside allowed " + show(allowed));
        } else if (allowed == null && range != null && !range.contains(v)) {
          report(child(path, "safeValue"), number(v) + " is outside range " + show(range));
        }
      }
    }
    JsonNode deadband = s.path("deadband");
    if (deadband.isNumber()
        && range != null
        && deadband.doubleValue() >= range.max() - range.min()) {
      report(
          child(path, "deadband"),
          number(deadband.doubleValue())
              + " is as wide as the whole range "
              + show(range)
              + ": no change would ever be reported");
    }
  }

  private void scaling(JsonNode scaling, String path, String dataType) {
    if (!scaling.isObject()) {
      return;
    }
    if (dataType.equals("Boolean")) {
      report(path, "a Boolean signal cannot be scaled");
      return;
    }
    JsonNode rawMin = scaling.path("rawMin");
    JsonNode rawMax = scaling.path("rawMax");
    JsonNode engMin = scaling.path("engMin");
    JsonNode engMax = scaling.path("engMax");
    if (rawMin.isNumber() && rawMax.isNumber()) {
      if (rawMin.doubleValue() == rawMax.doubleValue()) {
        report(
            child(path, "rawMax"),
            "rawMin and rawMax are both "
                + number(rawMin.doubleValue())
                + ": the scaling would divide by zero");
      }
      DataType type = DataType.find(dataType).filter(DataType::isIntegral).orElse(null);
      if (type != null) {
        for (JsonNode raw : List.of(rawMin, rawMax)) {
          double v = raw.doubleValue();
          String key = raw == rawMin ? "rawMin" : "rawMax";
          if (v < type.min() || v > type.max()) {
            report(
                child(path, key),
                number(v)
                    + " does not fit in dataType "
                    + dataType
                    + " ("
                    + number(type.min())
                    + ".."
                    + number(type.max())
                    + ")");
          } else if (v != Math.rint(v)) {
            report(
                child(path, key),
                number(v) + " is not a whole number, but the raw value is a " + dataType);
          }
        }
      }
    }
    if (engMin.isNumber() && engMax.isNumber() && engMin.doubleValue() == engMax.doubleValue()) {
      report(
          child(path, "engMax"),
          "engMin and engMax are both "
              + number(engMin.doubleValue())
              + ": every raw value would read the same");
    }
  }

  private void nodeId(JsonNode nodeId, String path) {
    if (!nodeId.isTextual()) {
      return;
    }
    String text = nodeId.asText();
    if (text.contains(REACTOR)) {
      // The plant configuration fills {reactor}; a name (r1) or a number (for i={reactor}) must
      // give a valid NodeId.
      String asName = NodeIds.problem(text.replace(REACTOR, "r1"));
      if (asName != null && NodeIds.problem(text.replace(REACTOR, "1")) != null) {
        report(path, asName + " (with {reactor} = r1)");
      }
      return;
    }
    if (PLACEHOLDER.matcher(text).find()) {
      return; // reported as an unknown placeholder
    }
    String problem = NodeIds.problem(text);
    if (problem != null) {
      report(path, problem);
    }
  }

  // --- watchdog ---------------------------------------------------------------------------------

  private void watchdog(JsonNode w) {
    if (!w.isObject()) {
      return;
    }
    nodeId(w.path("nodeId"), "watchdog.nodeId");
    String owner = nodeIds.get(w.path("nodeId").asText());
    if (w.path("nodeId").isTextual() && owner != null) {
      report(
          "watchdog.nodeId",
          "same NodeId as "
              + owner
              + " (line "
              + doc.lineOf(owner)
              + "): the heartbeat needs a node of its own");
    }
    String dataType = w.path("dataType").asText("");
    // An unknown name is the schema's to report; a known one must hold a counter that changes at
    // every beat.
    if (DataType.find(dataType).filter(t -> !t.holdsHeartbeat()).isPresent()) {
      report(
          "watchdog.dataType",
          "'"
              + dataType
              + "' cannot hold the heartbeat counter: use an integer type "
              + "(UInt16, UInt32, Int32, ...) or Boolean");
    }
    JsonNode interval = w.path("intervalMs");
    JsonNode timeout = w.path("timeoutMs");
    if (interval.isNumber()
        && timeout.isNumber()
        && timeout.doubleValue() <= interval.doubleValue()) {
      report(
          "watchdog.timeoutMs",
          number(timeout.doubleValue())
              + " must be longer than intervalMs ("
              + number(interval.doubleValue())
              + "), or the device trips between two heartbeats");
    }
  }

  // --- loops ------------------------------------------------------------------------------------

  private void loops(JsonNode loops) {
    if (!loops.isArray()) {
      return;
    }
    Map<String, String> ids = new HashMap<>();
    Map<String, String> outputs = new HashMap<>();
    for (int i = 0; i < loops.size(); i++) {
      JsonNode loop = loops.get(i);
      String path = index("loops", i);
      if (!loop.isObject()) {
        continue;
      }
      uniqueId(loop, path, ids, "loop");
      JsonNode pv = signalRef(loop.path("pv"), child(path, "pv"), "sensor");
      JsonNode output = signalRef(loop.path("output"), child(path, "output"), "actuator");
      if (output != null) {
        String previous = outputs.putIfAbsent(output.path("id").asText(), path);
        if (previous != null) {
          report(
              child(path, "output"),
              "actuator '"
                  + output.path("id").asText()
                  + "' is already driven by "
                  + previous
                  + " (line "
                  + doc.lineOf(previous)
                  + "); one actuator, one loop");
        }
      }
      setpoint(loop, path, pv);
      JsonNode override = loop.path("override");
      if (override.isObject()) {
        String op = child(path, "override");
        JsonNode overridePv = signalRef(override.path("pv"), child(op, "pv"), "sensor");
        samePv(loop, override, op);
        Range pvRange = overridePv == null ? null : rangeOf(overridePv);
        JsonNode sp = override.path("setpoint");
        if (pvRange != null && sp.isNumber() && !pvRange.contains(sp.doubleValue())) {
          report(
              child(op, "setpoint"),
              number(sp.doubleValue())
                  + " is outside the range of '"
                  + overridePv.path("id").asText()
                  + "' "
                  + show(pvRange));
        }
      }
      JsonNode cascade = loop.path("cascade");
      if (cascade.isObject()) {
        String cp = child(path, "cascade");
        JsonNode cascadePv = signalRef(cascade.path("pv"), child(cp, "pv"), "sensor");
        samePv(loop, cascade, cp);
        setpoint(cascade, cp, cascadePv);
      }
      JsonNode ff = loop.path("feedforward");
      if (ff.isObject()) {
        feedforward(loop, ff, child(path, "feedforward"));
      }
    }
  }

  /**
   * The disturbance is another sensor; a lead needs a lag (a pure lead amplifies noise without
   * bound).
   */
  private void feedforward(JsonNode loop, JsonNode ff, String path) {
    signalRef(ff.path("signal"), child(path, "signal"), "sensor");
    if (loop.path("pv").isTextual()
        && loop.path("pv").asText().equals(ff.path("signal").asText())) {
      report(
          child(path, "signal"),
          "'"
              + ff.path("signal").asText()
              + "' is the loop's own pv: that is feedback, not feedforward");
    }
    double lead = ff.path("leadS").asDouble(0);
    double lag = ff.path("lagS").asDouble(0);
    if (lead > 0 && lag <= 0) {
      report(
          child(path, "leadS"),
          "a lead of "
              + number(lead)
              + " s needs lagS > 0 (a pure lead amplifies sensor noise without bound)");
    } else if (lead > 0 && lead / lag > 20) {
      report(
          child(path, "leadS"),
          "leadS / lagS = "
              + number(lead / lag)
              + " kicks the output by that many times the "
              + "steady feedforward at each step of the disturbance; keep it at 20 or less");
    }
  }

  private void samePv(JsonNode loop, JsonNode outer, String path) {
    if (loop.path("pv").isTextual() && loop.path("pv").asText().equals(outer.path("pv").asText())) {
      report(child(path, "pv"), "'" + outer.path("pv").asText() + "' is already the loop's own pv");
    }
  }

  /** setpointLimits ordered and inside the PV's range; setpoint inside setpointLimits. */
  private void setpoint(JsonNode loop, String path, JsonNode pv) {
    Range limits = range(loop.path("setpointLimits"), child(path, "setpointLimits"));
    Range pvRange = pv == null ? null : rangeOf(pv);
    if (limits != null
        && pvRange != null
        && !(pvRange.contains(limits.min()) && pvRange.contains(limits.max()))) {
      report(
          child(path, "setpointLimits"),
          show(limits)
              + " is not inside the range of '"
              + pv.path("id").asText()
              + "' "
              + show(pvRange));
    }
    JsonNode sp = loop.path("setpoint");
    if (limits != null && sp.isNumber() && !limits.contains(sp.doubleValue())) {
      report(
          child(path, "setpoint"),
          number(sp.doubleValue()) + " is outside setpointLimits " + show(limits));
    }
  }

  // --- interlocks -------------------------------------------------------------------------------

  private void interlocks(JsonNode interlocks) {
    if (!interlocks.isArray()) {
      return;
    }
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < interlocks.size(); i++) {
      JsonNode il = interlocks.get(i);
      String path = index("interlocks", i);
      if (!il.isObject()) {
        continue;
      }
      uniqueId(il, path, ids, "interlock");
      JsonNode signal = signalRef(il.path("signal"), child(path, "signal"), null);
      if (!il.has("above") && !il.has("below")) {
        report(path, "an interlock needs a threshold: above, below or both");
      }
      Range range = signal == null ? null : rangeOf(signal);
      JsonNode above = il.path("above");
      JsonNode below = il.path("below");
      if (range != null && above.isNumber() && above.doubleValue() >= range.max()) {
        report(
            child(path, "above"),
            number(above.doubleValue())
                + " is not below the top of the range of '"
                + signal.path("id").asText()
                + "' "
                + show(range)
                + ": the interlock could never trip");
      }
      if (range != null && below.isNumber() && below.doubleValue() <= range.min()) {
        report(
            child(path, "below"),
            number(below.doubleValue())
                + " is not above the bottom of the range of '"
                + signal.path("id").asText()
                + "' "
                + show(range)
                + ": the interlock could never trip");
      }
      if (above.isNumber() && below.isNumber() && below.doubleValue() >= above.doubleValue()) {
        report(
            child(path, "below"),
            "below ("
                + number(below.doubleValue())
                + ") must be less than above ("
                + number(above.doubleValue())
                + "), or the interlock is always tripped");
      }
      JsonNode action = il.path("action");
      if (action.isObject()) {
        JsonNode actuator =
            signalRef(action.path("actuator"), child(path, "action.actuator"), "actuator");
        Range actuatorRange = actuator == null ? null : rangeOf(actuator);
        JsonNode value = action.path("value");
        Range allowed = actuator == null ? null : rangeOf(actuator, "allowed");
        if (actuatorRange != null
            && value.isNumber()
            && !actuatorRange.contains(value.doubleValue())) {
          report(
              child(path, "action.value"),
              number(value.doubleValue())
                  + " is outside the range of '"
                  + actuator.path("id").asText()
                  + "' "
                  + show(actuatorRange));
        } else if (allowed != null && value.isNumber() && !allowed.contains(value.doubleValue())) {
          // The device link refuses (never clamps) a write outside allowed: such an interlock would
          // trip and do nothing.
          report(
              child(path, "action.value"),
              number(value.doubleValue())
                  + " is outside allowed "
                  + show(allowed)
                  + " of '"
                  + actuator.path("id").asText()
                  + "': the write would be refused and the interlock could never act");
        }
      }
    }
  }

  // --- alarms -----------------------------------------------------------------------------------

  private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(
              com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              true);

  /**
   * Ids unique here (lines are known only here); every other rule in {@link AlarmChecks}, on the
   * definitions that can be read as records (one the schema refused is left to its message).
   */
  private void alarms(JsonNode root) {
    JsonNode alarms = root.path("alarms");
    if (!alarms.isArray()) {
      return;
    }
    Map<String, String> ids = new HashMap<>();
    List<AlarmSpec> specs = new ArrayList<>();
    for (int i = 0; i < alarms.size(); i++) {
      JsonNode a = alarms.get(i);
      AlarmSpec spec = null;
      if (a.isObject()) {
        uniqueId(a, index("alarms", i), ids, "alarm");
        try {
          spec = LENIENT.treeToValue(a, AlarmSpec.class);
        } catch (Exception e) {
          spec = null; // a wrong type: the schema names it
        }
      }
      specs.add(spec);
    }
    for (AlarmChecks.Finding f : AlarmChecks.check(specs, alarmContext(root))) {
      report(child(index("alarms", f.index()), f.field()), f.message());
    }
  }

  private AlarmChecks.Context alarmContext(JsonNode root) {
    Map<String, Range> signals = new HashMap<>();
    signalsById.forEach((id, s) -> signals.put(id, rangeOf(s)));
    Map<String, Boolean> loops = new HashMap<>();
    Map<String, Range> pvRanges = new HashMap<>();
    for (JsonNode l : root.path("loops")) {
      if (l.path("id").isTextual()) {
        loops.putIfAbsent(l.path("id").asText(), l.path("cascade").isObject());
        JsonNode pv = signalsById.get(l.path("pv").asText());
        if (pv != null && rangeOf(pv) != null) {
          pvRanges.putIfAbsent(l.path("id").asText(), rangeOf(pv));
        }
      }
    }
    Set<String> interlocks = new java.util.HashSet<>();
    for (JsonNode il : root.path("interlocks")) {
      if (il.path("id").isTextual()) {
        interlocks.add(il.path("id").asText());
      }
    }
    return new AlarmChecks.Context(
        signals, loops, pvRanges, interlocks, root.path("watchdog").isObject());
  }

  // --- helpers ----------------------------------------------------------------------------------

  private void uniqueId(JsonNode item, String path, Map<String, String> seen, String what) {
    JsonNode id = item.path("id");
    if (!id.isTextual()) {
      return;
    }
    String previous = seen.putIfAbsent(id.asText(), path);
    if (previous != null) {
      report(
          child(path, "id"),
          "duplicate "
              + what
              + " id '"
              + id.asText()
              + "' (also "
              + previous
              + " at line "
              + doc.lineOf(previous)
              + ")");
    }
  }

  /**
   * The signal {@code ref} names, checked to exist and (when {@code kind} is given) to be of that
   * kind.
   */
  private JsonNode signalRef(JsonNode ref, String path, String kind) {
    if (!ref.isTextual()) {
      return null;
    }
    JsonNode signal = signalsById.get(ref.asText());
    if (signal == null) {
      report(
          path,
          "no signal '"
              + ref.asText()
              + "' in this profile (signals: "
              + String.join(", ", new java.util.TreeSet<>(signalsById.keySet()))
              + ")");
      return null;
    }
    String actual = signal.path("kind").asText("");
    if (kind != null && Set.of("sensor", "actuator").contains(actual) && !kind.equals(actual)) {
      report(
          path,
          "'"
              + ref.asText()
              + "' is "
              + (actual.equals("sensor") ? "a sensor" : "an actuator")
              + ", but "
              + (kind.equals("sensor") ? "a sensor" : "an actuator")
              + " is needed here");
      return null;
    }
    return signal;
  }

  private Range range(JsonNode node, String path) {
    if (!node.isObject() || !node.path("min").isNumber() || !node.path("max").isNumber()) {
      return null;
    }
    Range r = new Range(node.path("min").doubleValue(), node.path("max").doubleValue());
    if (r.min() >= r.max()) {
      report(path, "min (" + number(r.min()) + ") must be less than max (" + number(r.max()) + ")");
      return null;
    }
    return r;
  }

  /** A signal's range without reporting (it was reported where it is defined). */
  private static Range rangeOf(JsonNode signal) {
    return rangeOf(signal, "range");
  }

  /**
   * A signal's {@code range} or {@code allowed} without reporting; null when absent or reversed.
   */
  private static Range rangeOf(JsonNode signal, String key) {
    JsonNode r = signal.path(key);
    if (!r.path("min").isNumber()
        || !r.path("max").isNumber()
        || r.path("min").doubleValue() >= r.path("max").doubleValue()) {
      return null;
    }
    return new Range(r.path("min").doubleValue(), r.path("max").doubleValue());
  }

  public static String show(Range r) {
    return "[" + number(r.min()) + ", " + number(r.max()) + "]";
  }
}

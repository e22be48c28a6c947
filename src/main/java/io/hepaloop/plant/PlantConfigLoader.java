package io.hepaloop.plant;

import static io.hepaloop.profile.YamlDocument.child;
import static io.hepaloop.profile.YamlDocument.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.lab.Analyte;
import io.hepaloop.lab.LabUnits;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.EndpointSpec;
import io.hepaloop.profile.IdentitySpec;
import io.hepaloop.profile.NodeIds;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.ProfileChecks;
import io.hepaloop.profile.ProfileException;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.SchemaValidation;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the plant configuration ({@code hepaloop.yaml}): JSON Schema ({@code
 * schema/plant-config.schema.json}), then the rules across fields and files: reactor ids unique,
 * each profile found (relative to the configuration file) and valid, the endpoint after overrides
 * consistent, the password of a username identity present in the environment, NodeIds still valid
 * once {@code {reactor}} is filled, and no two reactors reading the same nodes of one endpoint.
 * Every problem of the file, and of the profiles it names, is reported at once; a config with any
 * problem is refused whole.
 *
 * <p>Also per reactor the overrides of its profile's alarms ({@link AlarmOverrides}: the reactor's
 * {@link ReactorConfig#profile()} carries the effective definitions), and the plant's {@code
 * notifications:} ({@link NotificationsReader}; secrets read from the environment or a file).
 */
public final class PlantConfigLoader {
  private PlantConfigLoader() {}

  /**
   * The schema, loaded on first use: a file refused before parsing (too big, binary) never needs
   * it.
   */
  private static final class Schema {
    static final SchemaValidation PLANT =
        SchemaValidation.fromClasspath("schema/plant-config.schema.json");
  }

  /**
   * The plant in {@code file}, with passwords from the process environment.
   *
   * @throws ProfileException listing every problem as {@code file:line: path: what is wrong}
   */
  public static PlantConfig load(Path file) {
    return load(file, System::getenv);
  }

  /**
   * As {@link #load(Path)}, reading environment variables through {@code env} (tests, the demo).
   */
  public static PlantConfig load(Path file, Function<String, String> env) {
    return check(read(file), env).orElseThrow();
  }

  /**
   * Every problem in {@code file} (and the profiles it names), in reading order; empty when valid.
   */
  public static List<Problem> validate(Path file) {
    return validate(file, System::getenv);
  }

  public static List<Problem> validate(Path file, Function<String, String> env) {
    return check(read(file), env).problems();
  }

  /**
   * The plant in a document already read (its file name is its path: profiles are found relative to
   * it); each profile it names is read once.
   */
  public static Checked<PlantConfig> check(YamlDocument doc, Function<String, String> env) {
    Path file = Path.of(doc.fileName());
    Reading r = new Reading(file, doc, env);
    r.read();
    List<Problem> problems = r.sortedProblems();
    return problems.isEmpty()
        ? new Checked<>(
            problems, new PlantConfig(r.dataDir, r.reactors, file, r.notifications, r.labAnalytes))
        : new Checked<>(problems, null);
  }

  private static YamlDocument read(Path file) {
    return YamlDocument.read(file, "plant configurations");
  }

  /** One pass over one file; collects problems instead of stopping at the first. */
  private static final class Reading {
    private final Function<String, String> env;
    private final Path baseDir;
    private final List<Problem> problems = new ArrayList<>();
    private final List<ReactorConfig> reactors = new ArrayList<>();
    private final Map<Path, DeviceProfile> profiles = new HashMap<>();
    private final Set<Path> badProfiles = new LinkedHashSet<>();
    private final YamlDocument doc;
    private Path dataDir;
    private NotificationsConfig notifications = NotificationsConfig.none();
    private List<Analyte> labAnalytes = List.of();

    Reading(Path file, YamlDocument doc, Function<String, String> env) {
      this.doc = doc;
      this.env = env;
      Path parent = file.toAbsolutePath().getParent();
      this.baseDir = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    List<Problem> sortedProblems() {
      List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(doc.withoutRepeats(problems)));
      sorted.sort(Problem.READING_ORDER);
      return sorted;
    }

    void read() {
      problems.addAll(doc.problems());
      JsonNode root = doc.root();
      if (root == null) {
        return;
      }
      problems.addAll(Schema.PLANT.validate(doc));
      ProfileChecks.literalPasswords(doc, root, "", problems);
      if (!root.isObject()) {
        return;
      }
      JsonNode dir = root.path("dataDir");
      if (dir.isTextual()) {
        dataDir = baseDir.resolve(dir.asText()).normalize();
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
          problems.add(doc.problem("dataDir", dataDir + " exists and is not a directory"));
        }
      }
      notifications =
          new NotificationsReader(doc, baseDir, env, problems).read(root.path("notifications"));
      labAnalytes = labAnalytes(root.path("lab").path("analytes"));
      JsonNode list = root.path("reactors");
      if (!list.isArray()) {
        return;
      }
      Map<String, String> ids = new HashMap<>();
      Map<String, Integer> nodeOwners = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode r = list.get(i);
        String path = index("reactors", i);
        if (!r.isObject()) {
          continue;
        }
        JsonNode id = r.path("id");
        if (id.isTextual()) {
          String previous = ids.putIfAbsent(id.asText(), path);
          if (previous != null) {
            problems.add(
                doc.problem(
                    child(path, "id"),
                    "duplicate reactor id '"
                        + id.asText()
                        + "' (also "
                        + previous
                        + " at line "
                        + doc.lineOf(previous)
                        + ")"));
          }
        }
        ReactorConfig reactor = reactor(r, path);
        if (reactor != null) {
          sharedNodes(reactor, path, i, nodeOwners);
          reactors.add(reactor);
        }
      }
    }

    /**
     * The analytes of {@code lab: analytes:}: ids unique, each unit one {@link LabUnits} reads (a
     * unit it cannot read is named at its line, not found at the first lab entry).
     */
    private List<Analyte> labAnalytes(JsonNode list) {
      List<Analyte> out = new ArrayList<>();
      if (!list.isArray()) {
        return out;
      }
      Map<String, String> ids = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode a = list.get(i);
        String path = index("lab.analytes", i);
        if (!a.isObject() || !a.path("id").isTextual() || !a.path("unit").isTextual()) {
          continue; // the schema names what is missing
        }
        String id = a.path("id").asText();
        String previous = ids.putIfAbsent(id, path);
        if (previous != null) {
          problems.add(
              doc.problem(
                  child(path, "id"),
                  "duplicate analyte id '"
                      + id
                      + "' (also "
                      + previous
                      + " at line "
                      + doc.lineOf(previous)
                      + ")"));
          continue;
        }
        String unitProblem = LabUnits.problem(a.path("unit").asText());
        if (unitProblem != null) {
          problems.add(doc.problem(child(path, "unit"), "analyte " + id + ": unit " + unitProblem));
          continue;
        }
        JsonNode molarMass = a.path("molarMassGPerMol");
        try {
          out.add(
              new Analyte(
                  id,
                  a.path("name").asText(id),
                  a.path("unit").asText(),
                  molarMass.isNumber() ? molarMass.doubleValue() : null));
        } catch (IllegalArgumentException e) {
          problems.add(doc.problem(path, e.getMessage()));
        }
      }
      return out;
    }

    /**
     * The reactor at {@code path}, or null when its profile is unusable (problems already
     * recorded).
     */
    private ReactorConfig reactor(JsonNode r, String path) {
      JsonNode endpoint = r.path("endpoint");
      ProfileChecks.checkEndpoint(doc, endpoint, child(path, "endpoint"), problems);
      DeviceProfile shared = profile(r.path("profile"), child(path, "profile"));
      if (shared == null || !r.path("id").isTextual()) {
        return null;
      }
      DeviceProfile profile =
          new AlarmOverrides(doc, problems).apply(r.path("alarms"), path, shared);
      String id = r.path("id").asText();
      EndpointSpec defaults = profile.endpoint();
      String url = text(endpoint, "url", defaults.url());
      String policy = text(endpoint, "securityPolicy", defaults.securityPolicy());
      String mode = text(endpoint, "securityMode", defaults.securityMode());
      String securityProblem = ProfileChecks.securityProblem(policy, mode);
      if (securityProblem != null
          && !(endpoint.has("securityPolicy") && endpoint.has("securityMode"))) {
        problems.add(
            doc.problem(
                child(path, "endpoint"),
                "securityMode "
                    + securityProblem
                    + " (after this reactor's endpoint is applied over the profile's)"));
      }
      IdentitySpec identity =
          endpoint.path("identity").isObject()
              ? identity(endpoint.path("identity"))
              : defaults.identity();
      String password =
          password(
              identity,
              endpoint.path("identity").isObject()
                  ? child(path, "endpoint.identity.passwordEnv")
                  : path,
              profile);
      String nodeIdReactor =
          r.path("nodeIdReactor").isTextual() ? r.path("nodeIdReactor").asText() : id;
      boolean given = r.has("nodeIdReactor");
      filledNodeIds(
          profile, nodeIdReactor, given ? child(path, "nodeIdReactor") : child(path, "id"), given);
      String displayName = r.path("displayName").isTextual() ? r.path("displayName").asText() : id;
      // 2.0e7 is a whole number written as a float (the schema's "integer" accepts it): keep it.
      Long cells = r.path("cellsSeeded").isNumber() ? r.path("cellsSeeded").longValue() : null;
      return new ReactorConfig(
          id, displayName, profile, url, policy, mode, identity, password, nodeIdReactor, cells);
    }

    private DeviceProfile profile(JsonNode ref, String path) {
      if (!ref.isTextual()) {
        return null;
      }
      Path profileFile = baseDir.resolve(ref.asText()).normalize();
      if (!Files.isRegularFile(profileFile)) {
        problems.add(
            doc.problem(
                path,
                "no profile at '"
                    + ref.asText()
                    + "' (looked for "
                    + profileFile
                    + "; profile paths are relative to the configuration file)"));
        return null;
      }
      if (profiles.containsKey(profileFile)) {
        return profiles.get(profileFile);
      }
      if (badProfiles.contains(profileFile)) {
        problems.add(
            doc.problem(
                path,
                "profile "
                    + ref.asText()
                    + " is invalid (its problems are listed under its own name)"));
        return null;
      }
      try {
        DeviceProfile profile = ProfileLoader.load(profileFile);
        profiles.put(profileFile, profile);
        return profile;
      } catch (ProfileException e) {
        badProfiles.add(profileFile);
        problems.addAll(e.problems());
        problems.add(
            doc.problem(
                path,
                "profile "
                    + ref.asText()
                    + " is invalid: "
                    + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems")
                    + ", listed under its own name"));
        return null;
      }
    }

    private IdentitySpec identity(JsonNode node) {
      return new IdentitySpec(
          node.path("type").asText("anonymous"),
          textOrNull(node, "username"),
          textOrNull(node, "passwordEnv"));
    }

    /**
     * The password from the environment, now: a missing variable is found at load, not at 3 a.m.
     */
    private String password(IdentitySpec identity, String path, DeviceProfile profile) {
      if (identity == null || identity.isAnonymous() || identity.passwordEnv() == null) {
        return null;
      }
      String value = env.apply(identity.passwordEnv());
      if (value == null || value.isEmpty()) {
        String origin =
            path.endsWith("passwordEnv") ? "" : " (identity from profile " + profile.model() + ")";
        problems.add(
            doc.problem(
                path,
                "environment variable "
                    + identity.passwordEnv()
                    + " is not set; it must hold the password of user '"
                    + identity.username()
                    + "'"
                    + origin));
        return null;
      }
      return value;
    }

    /** {@code {reactor}} filled with this reactor's value must still give valid NodeIds. */
    private void filledNodeIds(
        DeviceProfile profile, String nodeIdReactor, String path, boolean given) {
      List<String> templates = new ArrayList<>();
      profile.signals().forEach(s -> templates.add(s.nodeId()));
      if (profile.watchdog() != null) {
        templates.add(profile.watchdog().nodeId());
      }
      for (String template : templates) {
        String filled = template.replace("{reactor}", nodeIdReactor);
        String reason = NodeIds.reason(filled);
        if (reason != null) {
          problems.add(
              doc.problem(
                  path,
                  "{reactor} = '"
                      + nodeIdReactor
                      + "' makes "
                      + template
                      + " into "
                      + filled
                      + ", which is not a valid NodeId: "
                      + reason
                      + (given ? "" : " (set nodeIdReactor)")));
          return;
        }
      }
    }

    /** Two reactors on one endpoint must not read and write the same nodes. */
    private void sharedNodes(
        ReactorConfig reactor, String path, int index, Map<String, Integer> owners) {
      String url = reactor.endpointUrl().toLowerCase(Locale.ROOT);
      for (SignalSpec s : reactor.profile().signals()) {
        String key = url + " " + reactor.nodeIdFor(s);
        Integer other = owners.putIfAbsent(key, index);
        if (other != null && other != index) {
          ReactorConfig first =
              reactors.stream()
                  .filter(
                      x ->
                          x.endpointUrl().equalsIgnoreCase(reactor.endpointUrl())
                              && x.nodeIdFor(s).equals(reactor.nodeIdFor(s)))
                  .findFirst()
                  .orElse(null);
          String firstId = first == null ? "reactors[" + other + "]" : "'" + first.id() + "'";
          String fix =
              s.nodeId().contains("{reactor}")
                  ? "give each reactor its own nodeIdReactor, or its own endpoint"
                  : "the profile's NodeIds have no {reactor}, so reactors sharing an endpoint need their own profile "
                      + "or their own endpoint";
          problems.add(
              doc.problem(
                  path,
                  "reads the same node "
                      + reactor.nodeIdFor(s)
                      + " on "
                      + reactor.endpointUrl()
                      + " as reactor "
                      + firstId
                      + ": "
                      + fix));
          return;
        }
      }
    }

    private static String text(JsonNode node, String key, String fallback) {
      return node.path(key).isTextual() ? node.path(key).asText() : fallback;
    }

    private static String textOrNull(JsonNode node, String key) {
      return node.path(key).isTextual() ? node.path(key).asText() : null;
    }
  }
}

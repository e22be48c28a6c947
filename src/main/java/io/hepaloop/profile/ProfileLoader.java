package io.hepaloop.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reads and validates device profiles. A profile is checked against
 * {@code schema/device-profile.schema.json} and then by semantic rules ({@link ProfileChecks}); every
 * problem is collected, so a bad file is fixed in one pass, and a profile with any problem is refused
 * whole: nothing starts with it.
 *
 * <p>Defaults filled in after validation: endpoint securityPolicy and securityMode {@code None},
 * identity anonymous.
 */
public final class ProfileLoader {
  static final SchemaValidation SCHEMA = SchemaValidation.fromClasspath("schema/device-profile.schema.json");
  private static final ObjectMapper BINDER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ProfileLoader() {}

  /**
   * The profile in {@code file}.
   *
   * @throws ProfileException listing every problem, each as {@code file:line: path: what is wrong}
   */
  public static DeviceProfile load(Path file) {
    YamlDocument doc = YamlDocument.read(file);
    List<Problem> problems = problems(doc);
    if (!problems.isEmpty()) {
      throw new ProfileException(problems);
    }
    return bind(doc);
  }

  /** Every problem in {@code file}, in reading order; empty when the profile is valid. */
  public static List<Problem> validate(Path file) {
    YamlDocument doc = YamlDocument.read(file);
    List<Problem> problems = problems(doc);
    if (problems.isEmpty()) {
      try {
        bind(doc); // a binding failure would be a schema gap: surface it here, not at start-up
      } catch (ProfileException e) {
        return e.problems();
      }
    }
    return problems;
  }

  private static List<Problem> problems(YamlDocument doc) {
    List<Problem> all = new ArrayList<>(doc.problems());
    if (doc.root() != null) {
      all.addAll(SCHEMA.validate(doc));
      all.addAll(ProfileChecks.check(doc));
    }
    all.sort(Problem.READING_ORDER);
    return new ArrayList<>(new LinkedHashSet<>(all));
  }

  private static DeviceProfile bind(YamlDocument doc) {
    ObjectNode tree = ((ObjectNode) doc.root()).deepCopy();
    ObjectNode endpoint = (ObjectNode) tree.get("endpoint");
    if (!endpoint.has("securityPolicy")) {
      endpoint.put("securityPolicy", "None");
    }
    if (!endpoint.has("securityMode")) {
      endpoint.put("securityMode", "None");
    }
    if (!endpoint.has("identity")) {
      endpoint.putObject("identity").put("type", "anonymous");
    }
    return bind(doc, tree, DeviceProfile.class);
  }

  /** Tree to record; a failure here means the schema let something through that the records refuse. */
  static <T> T bind(YamlDocument doc, JsonNode tree, Class<T> type) {
    try {
      return BINDER.treeToValue(tree, type);
    } catch (Exception e) {
      throw new ProfileException(List.of(new Problem(doc.fileName(), 1, "(document)",
          "passed validation but cannot be read as " + type.getSimpleName() + ": " + e.getMessage())));
    }
  }
}

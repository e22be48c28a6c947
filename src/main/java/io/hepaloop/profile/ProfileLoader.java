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
 * Reads and validates device profiles. A profile is checked against {@code
 * schema/device-profile.schema.json} and then by semantic rules ({@link ProfileChecks}); every
 * problem is collected, so a bad file is fixed in one pass, and a profile with any problem is
 * refused whole: nothing starts with it.
 *
 * <p>Defaults filled in after validation: endpoint securityPolicy and securityMode {@code None},
 * identity anonymous.
 */
public final class ProfileLoader {
  private static final ObjectMapper BINDER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ProfileLoader() {}

  /**
   * The schema, loaded on first use: a file refused before parsing (too big, binary) never needs
   * it.
   */
  private static final class Schema {
    static final SchemaValidation PROFILE =
        SchemaValidation.fromClasspath("schema/device-profile.schema.json");
  }

  /**
   * The profile in {@code file}.
   *
   * @throws ProfileException listing every problem, each as {@code file:line: path: what is wrong}
   */
  public static DeviceProfile load(Path file) {
    return check(YamlDocument.read(file, "profiles")).orElseThrow();
  }

  /** Every problem in {@code file}, in reading order; empty when the profile is valid. */
  public static List<Problem> validate(Path file) {
    return check(YamlDocument.read(file, "profiles")).problems();
  }

  /**
   * The profile in a document already read: schema, semantic checks and binding all use its one
   * tree. A binding failure would be a schema gap; it is reported here, not at start-up.
   */
  public static Checked<DeviceProfile> check(YamlDocument doc) {
    List<Problem> problems = problems(doc);
    if (!problems.isEmpty()) {
      return new Checked<>(problems, null);
    }
    try {
      return new Checked<>(List.of(), bind(doc));
    } catch (ProfileException e) {
      return new Checked<>(e.problems(), null);
    }
  }

  private static List<Problem> problems(YamlDocument doc) {
    List<Problem> all = new ArrayList<>(doc.problems());
    if (doc.root() != null) {
      List<Problem> found = new ArrayList<>(Schema.PROFILE.validate(doc));
      found.addAll(ProfileChecks.check(doc));
      all.addAll(doc.withoutRepeats(found));
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

  /**
   * Tree to record; a failure here means the schema let something through that the records refuse.
   */
  static <T> T bind(YamlDocument doc, JsonNode tree, Class<T> type) {
    try {
      return BINDER.treeToValue(tree, type);
    } catch (Exception e) {
      throw new ProfileException(
          List.of(
              new Problem(
                  doc.fileName(),
                  1,
                  "(document)",
                  "passed validation but cannot be read as "
                      + type.getSimpleName()
                      + ": "
                      + e.getMessage())));
    }
  }
}

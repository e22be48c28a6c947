package io.hepaloop.recipe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.SchemaValidation;
import io.hepaloop.profile.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates recipes exactly as device profiles are read: the same {@link YamlDocument}
 * (file:line for every key, 1 MiB limit, UTF-8 text, duplicate keys refused), a JSON Schema ({@code
 * schema/recipe.schema.json}) and semantic rules against the profile the recipe is written for
 * ({@link RecipeChecks}). Every problem is collected, so a bad file is fixed in one pass, and a
 * recipe with any problem is refused whole: nothing runs it.
 *
 * <p>The recipe's identity is the SHA-256 of the file's bytes ({@link Recipe#sha256()}).
 */
public final class RecipeLoader {
  private static final ObjectMapper BINDER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private RecipeLoader() {}

  /** Loaded on first use: a file refused before parsing never needs it. */
  private static final class Schema {
    static final SchemaValidation RECIPE =
        SchemaValidation.fromClasspath("schema/recipe.schema.json");
  }

  /**
   * The recipe in {@code file}, checked against {@code profile}.
   *
   * @throws io.hepaloop.profile.ProfileException listing every problem as {@code file:line: path:
   *     what is wrong}
   */
  public static Recipe load(Path file, DeviceProfile profile) {
    return check(file, profile).orElseThrow();
  }

  /** Every problem in {@code file}, in reading order; empty when the recipe is valid. */
  public static List<Problem> validate(Path file, DeviceProfile profile) {
    return check(file, profile).problems();
  }

  /** Reads, checks and (when valid) binds {@code file}, hashing its bytes. */
  public static Checked<Recipe> check(Path file, DeviceProfile profile) {
    YamlDocument doc = YamlDocument.read(file, "recipes");
    Checked<Recipe> checked = check(doc, profile, null);
    if (!checked.ok()) {
      return checked;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      return check(doc, profile, sha256(bytes));
    } catch (IOException e) {
      return new Checked<>(
          List.of(new Problem(file.toString(), 0, "(file)", "cannot read: " + e)), null);
    }
  }

  /**
   * The recipe in a document already read; {@code sha256} is its file's hash (null: computed from
   * nothing, the recipe carries null).
   */
  public static Checked<Recipe> check(YamlDocument doc, DeviceProfile profile, String sha256) {
    List<Problem> all = new ArrayList<>(doc.problems());
    RecipeChecks.Result semantic = null;
    if (doc.root() != null) {
      List<Problem> found = new ArrayList<>(Schema.RECIPE.validate(doc));
      semantic = RecipeChecks.check(doc, profile);
      found.addAll(semantic.problems());
      all.addAll(doc.withoutRepeats(found));
    }
    all.sort(Problem.READING_ORDER);
    List<Problem> problems = new ArrayList<>(new LinkedHashSet<>(all));
    if (!problems.isEmpty()) {
      return new Checked<>(problems, null);
    }
    return bind(doc, semantic.rampStarts(), sha256);
  }

  private static Checked<Recipe> bind(
      YamlDocument doc, Map<String, Double> rampStarts, String sha256) {
    ObjectNode tree = ((ObjectNode) doc.root()).deepCopy();
    rampStarts.forEach(
        (path, from) -> {
          // phases[i].setpoints[j]
          int i = Integer.parseInt(path.substring(7, path.indexOf(']')));
          int j = Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.length() - 1));
          ObjectNode ramp =
              (ObjectNode) tree.path("phases").get(i).path("setpoints").get(j).path("ramp");
          if (!ramp.has("from")) {
            ramp.put("from", from);
          }
        });
    tree.put("sha256", sha256);
    try {
      return new Checked<>(List.of(), BINDER.treeToValue(tree, Recipe.class));
    } catch (Exception e) {
      return new Checked<>(
          List.of(
              new Problem(
                  doc.fileName(),
                  1,
                  "(document)",
                  "passed validation but cannot be read as a recipe: " + e.getMessage())),
          null);
    }
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}

package io.hepaloop.app;

import io.hepaloop.api.RecipeAccess;
import io.hepaloop.plantstate.RecipeReleases;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.YamlDocument;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plant's recipes for the API: the {@code *.yaml} files of its recipes directory, each checked
 * (like {@code recipe validate}) against the plant's device profile whose model the recipe names,
 * with the release of its exact version from {@link RecipeReleases}. A file is read once and hashed
 * from the same bytes it is checked from, so the hash always names what was checked.
 */
public final class PlantRecipes implements RecipeAccess {
  /** A recipe's name as a file name: no path, no hidden file. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path dir;
  private final Map<String, DeviceProfile> profilesByModel = new LinkedHashMap<>();
  private final RecipeReleases releases;

  /**
   * @param dir the recipes directory ({@code recipes/}); absent means no recipes
   * @param profiles the plant's device profiles (one per reactor; repeats are fine)
   * @param releases the released versions; null keeps none (every recipe unreleased)
   */
  public PlantRecipes(Path dir, Collection<DeviceProfile> profiles, RecipeReleases releases) {
    this.dir = dir;
    profiles.forEach(p -> profilesByModel.putIfAbsent(p.model(), p));
    this.releases = releases;
  }

  @Override
  public List<RecipeInfo> list() {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.yaml")) {
        s.forEach(files::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list recipes in " + dir + ": " + e, e);
      }
    }
    files.sort(null);
    Map<String, RecipeReleases.Release> released = releases == null ? Map.of() : releases.all();
    List<RecipeInfo> out = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
      if (NAME.matcher(name).matches()) {
        Read r = read(name);
        if (r != null) {
          out.add(info(name, r, released.get(r.sha256)));
        }
      }
    }
    return out;
  }

  @Override
  public RecipeInfo find(String name) {
    Read r = read(name);
    if (r == null) {
      return null;
    }
    RecipeReleases.Release rel = releases == null ? null : releases.find(r.sha256).orElse(null);
    return info(name, r, rel);
  }

  @Override
  public Released release(
      String name, String sha256, String releasedBy, Instant at, String meaning, Long auditSeq) {
    if (releases == null) {
      throw new IllegalStateException("this plant keeps no database: nothing can be released");
    }
    Read r = read(name);
    if (r == null || !r.sha256.equals(sha256)) {
      throw new IllegalStateException(
          "recipe " + name + " changed on disk since it was checked; nothing was released");
    }
    if (!r.checked.ok()) {
      throw new IllegalStateException("recipe " + name + " is not valid; nothing was released");
    }
    Recipe recipe = r.checked.value();
    try {
      RecipeReleases.Release done =
          releases.insert(
              new RecipeReleases.Release(
                  name, recipe.version(), sha256, r.text, releasedBy, at, meaning, auditSeq));
      return released(done);
    } catch (RecipeReleases.AlreadyReleasedException e) {
      throw new AlreadyReleasedException(e.getMessage());
    }
  }

  // ---- reading one file ----

  private record Read(String sha256, String text, Checked<Recipe> checked) {}

  /** The file {@code name}.yaml read, hashed and checked; null when there is no such file. */
  private Read read(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return null;
    }
    Path file = dir.resolve(name + ".yaml");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return new Read("", "", problem(file, "cannot read: " + e));
    }
    String sha = RecipeLoader.sha256(bytes);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new Read(sha, "", problem(file, "is not UTF-8 text"));
    }
    YamlDocument doc = YamlDocument.parse(file.toString(), text);
    String model =
        doc.root() == null || !doc.root().path("profile").isTextual()
            ? null
            : doc.root().path("profile").asText();
    DeviceProfile profile = model == null ? null : profilesByModel.get(model);
    if (profile == null && model != null) {
      return new Read(
          sha,
          text,
          problem(
              file,
              "profile '"
                  + model
                  + "' is not the profile of any reactor of this plant (profiles: "
                  + String.join(", ", new TreeSet<>(profilesByModel.keySet()))
                  + ")"));
    }
    if (profile == null) {
      Optional<DeviceProfile> any = profilesByModel.values().stream().findFirst();
      if (any.isEmpty()) {
        return new Read(sha, text, problem(file, "the plant has no reactor to check it against"));
      }
      profile = any.get(); // the schema names the missing profile
    }
    return new Read(sha, text, RecipeLoader.check(doc, profile, sha));
  }

  private static Checked<Recipe> problem(Path file, String message) {
    return new Checked<>(List.of(new Problem(file.toString(), 0, "(file)", message)), null);
  }

  private static RecipeInfo info(String name, Read r, RecipeReleases.Release rel) {
    Released released = rel == null ? null : released(rel);
    if (!r.checked.ok()) {
      return new RecipeInfo(
          name,
          r.sha256,
          null,
          null,
          null,
          List.of(),
          r.checked.problems().stream().map(Problem::toString).toList(),
          released);
    }
    Recipe recipe = r.checked.value();
    List<Phase> phases = new ArrayList<>();
    for (Recipe.Phase p : recipe.phases()) {
      phases.add(new Phase(p.id(), p.description(), transition(p.transition())));
    }
    return new RecipeInfo(
        name,
        r.sha256,
        recipe.version(),
        recipe.description(),
        recipe.profile(),
        phases,
        List.of(),
        released);
  }

  private static Released released(RecipeReleases.Release rel) {
    return new Released(rel.releasedBy(), rel.releasedAt(), rel.meaning(), rel.auditSeq());
  }

  static String transition(Recipe.Transition t) {
    if (t == null) {
      return null;
    }
    if (t.afterH() != null) {
      double h = t.afterH();
      return "after " + (h == Math.rint(h) ? Long.toString((long) h) : Double.toString(h)) + " h";
    }
    if (t.condition() != null) {
      return t.condition().describe();
    }
    return "operator confirms: " + t.confirm();
  }
}

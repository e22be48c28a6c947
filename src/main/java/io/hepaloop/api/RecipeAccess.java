package io.hepaloop.api;

import java.time.Instant;
import java.util.List;

/**
 * What the recipe routes may see of the plant's recipes ({@code recipes/*.yaml}, checked against
 * the plant's device profiles) and their releases. The app implements it over the recipes directory
 * and the database ({@code app.PlantRecipes}); tests use a fake. Every method reads files or the
 * database: call it on a worker, never on an event loop.
 */
public interface RecipeAccess {

  /**
   * One phase as the console lists it.
   *
   * @param transition when it ends, in words ("after 24 h", "our stable within 5 % for 6 h",
   *     "operator confirms: ...")
   */
  record Phase(String id, String description, String transition) {}

  /** Who released a version, when, with what meaning, and the signed audit record's sequence. */
  record Released(String releasedBy, Instant releasedAt, String meaning, Long auditSeq) {}

  /**
   * One recipe file.
   *
   * @param name the file's name without {@code .yaml}: what runs and releases name
   * @param sha256 the file's SHA-256 (its version identity), also for an invalid file
   * @param version the author's label, null when the file is invalid
   * @param problems {@code file:line: path: what is wrong}, empty when the recipe is valid
   * @param released this exact version's release, or null
   */
  record RecipeInfo(
      String name,
      String sha256,
      String version,
      String description,
      String profile,
      List<Phase> phases,
      List<String> problems,
      Released released) {
    public RecipeInfo {
      phases = phases == null ? List.of() : List.copyOf(phases);
      problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /** A release refused because that version (hash) is released already. */
  final class AlreadyReleasedException extends RuntimeException {
    public AlreadyReleasedException(String message) {
      super(message);
    }
  }

  /** Every recipe file of the directory, by name. */
  List<RecipeInfo> list();

  /** The recipe file {@code name}, or null when there is none. */
  RecipeInfo find(String name);

  /**
   * Releases version {@code sha256} of recipe {@code name}, keeping the file's text.
   *
   * @throws AlreadyReleasedException when that version is released already
   * @throws IllegalStateException when the file no longer has that hash (edited meanwhile) or is no
   *     longer valid; nothing is released
   */
  Released release(
      String name, String sha256, String releasedBy, Instant at, String meaning, Long auditSeq);
}

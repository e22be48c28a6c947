package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.plantstate.RecipeReleases;
import io.hepaloop.store.Store;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hepaloop recipe release}: signs with the password read like the user commands read it,
 * records the signed release, refuses (and records) a wrong password and a second release of the
 * same version.
 */
class RecipeReleaseCommandTest {
  static final String RECIPE = "recipes/hepatocyte-perfusion-standard.yaml";
  @TempDir Path tmp;
  private final InputStream stdinBefore = System.in;

  @AfterEach
  void restore() {
    System.setIn(stdinBefore);
  }

  private CliRun run(String stdin, String... args) {
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(tmp.toString());
    return CliRun.of(all.toArray(String[]::new));
  }

  private List<String> auditActions() {
    try (Store store = Store.open(tmp)) {
      return store.read(
          c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement(
                        "SELECT action, target, signed_by FROM audit_records ORDER BY seq");
                ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
              }
            }
            return out;
          });
    }
  }

  @Test
  void aReleaseIsSignedAndRecordedAWrongPasswordAndASecondReleaseAreRefused() {
    CliRun add = run("a long password\n", "user", "add", "eve", "--role", "engineer");
    assertThat(add.exit()).as(add.err()).isZero();

    CliRun wrong = run("not the password\n", "recipe", "release", RECIPE, "--user", "eve");
    assertThat(wrong.exit()).as(wrong.err()).isEqualTo(1);
    assertThat(wrong.out()).contains("wrong password").contains("nothing was released");

    CliRun ok =
        run(
            "a long password\n",
            "recipe",
            "release",
            RECIPE,
            "--user",
            "eve",
            "--reason",
            "reviewed");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out())
        .contains("released hepatocyte-perfusion-standard")
        .contains("audit record #");

    CliRun again = run("a long password\n", "recipe", "release", RECIPE, "--user", "eve");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).contains("was released by eve");

    try (Store store = Store.open(tmp)) {
      assertThat(new RecipeReleases(store).all()).hasSize(1);
    }
    assertThat(auditActions())
        .containsSubsequence(
            "signature_refused recipe/hepatocyte-perfusion-standard null",
            "recipe_release recipe/hepatocyte-perfusion-standard eve",
            "recipe_release recipe/hepatocyte-perfusion-standard null");
  }
}

package io.hepaloop.cli;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.audit.Signature;
import io.hepaloop.core.DirectoryLock;
import io.hepaloop.plantstate.RecipeReleases;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.YamlDocument;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.LoginResult;
import io.hepaloop.users.User;
import io.hepaloop.users.Users;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hepaloop recipe release FILE --data-dir DIR --user U}: releases the recipe file's current
 * version with the user's electronic signature (the password re-entered, never an argument), as
 * {@code POST /api/recipes/{name}/release} does: a signed {@code recipe_release} audit record and a
 * {@code recipe_releases} row linked to it; a wrong password is refused and recorded, the same
 * version twice refused. Only while no plant runs on the data directory (it takes the directory's
 * lock, so two processes never append to one audit chain); with a running plant use the API.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Release a recipe version with an electronic signature (while no plant runs on DIR).")
public final class RecipeReleaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The recipe YAML file.")
  Path file;

  @Option(names = "--user", required = true, paramLabel = "U", description = "Who signs.")
  String user;

  @Option(
      names = "--meaning",
      defaultValue = "approved",
      description = "What the signature means (default ${DEFAULT-VALUE}).")
  String meaning;

  @Option(names = "--reason", description = "Why; recorded with the release.")
  String reason;

  @Mixin ProfileOption profile;
  @Mixin DataDirOption dataDir;
  @Mixin PasswordInput password;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    byte[] bytes = Files.readAllBytes(file);
    String sha = RecipeLoader.sha256(bytes);
    Checked<Recipe> checked =
        RecipeLoader.check(
            YamlDocument.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8)),
            profile.load(),
            sha);
    if (!checked.ok()) {
      checked.problems().forEach(out::println);
      out.println("recipe not valid; nothing was released");
      out.flush();
      return 1;
    }
    Recipe recipe = checked.value();
    String target = "recipe/" + name;
    String asked = name + " " + recipe.version() + " sha256 " + sha;
    try (DirectoryLock lock = ServeCommand.lockDataDir(dataDir.path());
        Store store = dataDir.openExistingStore()) {
      Users users = DataDirOption.users(store);
      User signer = users.get(user); // an unknown user is refused before a password is asked for
      RecipeReleases releases = new RecipeReleases(store);
      AuditTrail trail = AuditTrail.open(store, SystemClock.INSTANCE);
      try {
        Optional<RecipeReleases.Release> before = releases.find(sha);
        if (before.isPresent()) {
          String why =
              "recipe "
                  + asked
                  + " was released by "
                  + before.get().releasedBy()
                  + " at "
                  + before.get().releasedAt();
          trail.append(entry(signer, AuditAction.RECIPE_RELEASE, target, "refused: " + asked, why));
          out.println(why + "; nothing was changed");
          out.flush();
          return 1;
        }
        char[] secret = password.readOnce("Password of " + user + " to sign the release: ");
        LoginResult verified;
        try {
          verified = users.verify(user, secret);
        } finally {
          Arrays.fill(secret, '\0');
        }
        if (verified.outcome() != LoginResult.Outcome.OK) {
          String why =
              verified.outcome() == LoginResult.Outcome.LOCKED
                  ? "signature refused: account locked until " + verified.lockedUntil()
                  : "signature refused: wrong password for the signing user";
          trail.append(
              entry(
                  signer,
                  AuditAction.SIGNATURE_REFUSED,
                  target,
                  "refused: " + AuditAction.RECIPE_RELEASE.id() + " " + asked,
                  reason == null ? why : why + "; comment: " + reason));
          out.println(why + "; nothing was released");
          out.flush();
          return 1;
        }
        User u = verified.user();
        String printed =
            u.displayName() == null || u.displayName().isBlank() ? u.name() : u.displayName();
        Signature signature = new Signature(printed, meaning, SystemClock.INSTANCE.now());
        AuditRecord record =
            trail.append(
                new AuditEntry(
                    u.name(),
                    u.role().id(),
                    AuditAction.RECIPE_RELEASE,
                    target,
                    null,
                    asked,
                    reason,
                    null,
                    signature));
        releases.insert(
            new RecipeReleases.Release(
                name,
                recipe.version(),
                sha,
                new String(bytes, StandardCharsets.UTF_8),
                printed,
                signature.signedAt(),
                meaning,
                record.sequence()));
        out.printf(
            "released %s, signed by %s (%s), audit record #%d%n",
            asked, printed, meaning, record.sequence());
        out.flush();
        return 0;
      } finally {
        trail.close();
      }
    }
  }

  private AuditEntry entry(
      User signer, AuditAction action, String target, String newValue, String why) {
    return new AuditEntry(
        signer.name(), signer.role().id(), action, target, null, newValue, why, null, null);
  }
}

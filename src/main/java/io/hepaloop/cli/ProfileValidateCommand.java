package io.hepaloop.cli;

import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigLoader;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.YamlDocument;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hepaloop profile validate FILE...}: checks device profiles and plant configurations (a
 * file with a top-level {@code reactors:} list is a plant configuration, and the profiles it names
 * are checked with it). Prints {@code FILE: OK} or every problem as {@code file:line: path: what is
 * wrong}; exits 1 when any file has a problem, so it can guard a commit or a deployment. Each file
 * is read and parsed once; one over 1 MiB, or not text, is refused before parsing.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate device profiles and plant configurations; exits non-zero on any problem.",
      "A file with a top-level 'reactors:' list is a plant configuration: the profiles it names are checked too,",
      "and the environment variables its identities name must be set."
    })
public final class ProfileValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Profile or plant configuration YAML files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int bad = 0;
    int problemCount = 0;
    for (Path file : files) {
      // One reading per file: its kind, its problems and its summary all come from this one tree.
      YamlDocument doc = YamlDocument.read(file, "profiles and plant configurations");
      List<Problem> problems;
      String summary;
      if (isPlantConfig(doc)) {
        Checked<PlantConfig> plant = PlantConfigLoader.check(doc, System::getenv);
        problems = plant.problems();
        summary = plant.ok() ? describe(plant.value()) : null;
      } else {
        Checked<DeviceProfile> profile = ProfileLoader.check(doc);
        problems = profile.problems();
        summary = profile.ok() ? describe(profile.value()) : null;
      }
      if (problems.isEmpty()) {
        out.println(file + ": OK (" + summary + ")");
      } else {
        bad++;
        problemCount += problems.size();
        problems.forEach(out::println);
      }
    }
    if (bad > 0) {
      out.println(
          problemCount
              + (problemCount == 1 ? " problem" : " problems")
              + " in "
              + bad
              + (bad == 1 ? " file" : " files")
              + "; nothing will start with "
              + (bad == 1 ? "it" : "them")
              + ".");
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }

  private static boolean isPlantConfig(YamlDocument doc) {
    return doc.root() != null
        && doc.root().isObject()
        && doc.root().has("reactors")
        && !doc.root().has("signals");
  }

  private static String describe(DeviceProfile p) {
    return "device profile "
        + p.model()
        + ": "
        + p.sensors().size()
        + " sensors, "
        + p.actuators().size()
        + " actuators, "
        + p.loops().size()
        + " loops, "
        + p.interlocks().size()
        + " interlocks";
  }

  private static String describe(PlantConfig c) {
    return "plant configuration: "
        + c.reactors().size()
        + (c.reactors().size() == 1 ? " reactor" : " reactors")
        + " ("
        + String.join(", ", c.reactorIds())
        + ")";
  }
}

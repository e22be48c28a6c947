package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.cli.HepaLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./hepaloop profile validate FILE...}, run through the real command line. */
class ProfileValidateCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = HepaLoop.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 2];
    full[0] = "profile";
    full[1] = "validate";
    System.arraycopy(args, 0, full, 2, args.length);
    return cli.execute(full);
  }

  @Test
  void validProfilesPrintOkEachAndExitZero() {
    int code =
        run(
            "device-profiles/liver-perfusion-bioreactor.yaml",
            "device-profiles/plc-gateway-example.yaml");

    assertThat(code).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "device-profiles/liver-perfusion-bioreactor.yaml: OK (device profile liver-perfusion-bioreactor: "
                + "6 sensors, 3 actuators, 3 loops, 2 interlocks)",
            "device-profiles/plc-gateway-example.yaml: OK (device profile plc-gateway-example: "
                + "5 sensors, 3 actuators, 3 loops, 2 interlocks)");
  }

  @Test
  void aBrokenProfilePrintsEveryProblemWithFileAndLineAndExitsNonZero() {
    String bad = "src/test/resources/profiles/broken/many-problems.yaml";
    int code = run("device-profiles/liver-perfusion-bioreactor.yaml", bad);

    assertThat(code).isEqualTo(1);
    String text = out.toString();
    assertThat(text)
        .contains("device-profiles/liver-perfusion-bioreactor.yaml: OK")
        .contains(bad + ":99: signals[6].safeValue: 80 is outside allowed [5, 60]")
        .contains(
            bad + ":16: endpoint.identity.password: a password must never be written in a file");
    assertThat(text.lines().filter(l -> l.startsWith(bad + ":")))
        .hasSize(ProfileLoader.validate(java.nio.file.Path.of(bad)).size());
    assertThat(text.lines().reduce((a, b) -> b).orElseThrow())
        .matches("\\d+ problems in 1 file; nothing will start with it\\.");
  }

  @Test
  void aPlantConfigurationIsRecognisedAndCheckedWithItsProfiles() {
    int code =
        run(
            "src/test/resources/plant/valid-base.yaml",
            "src/test/resources/plant/broken/profile-invalid.yaml");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains(
            "src/test/resources/plant/valid-base.yaml: OK (plant configuration: 2 reactors (r1, r2))")
        .contains("reversed-range.yaml:10: signals[0].range: min (60) must be less than max (0)")
        .contains(
            "profile-invalid.yaml:4: reactors[0].profile: profile ../../profiles/broken/reversed-range.yaml is invalid");
  }

  @Test
  void aYamlSyntaxErrorIsReportedWithItsLine() {
    int code = run("src/test/resources/profiles/broken/yaml-syntax-error.yaml");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains("yaml-syntax-error.yaml:11: (yaml): YAML syntax error: expected ',' or '}'");
  }

  @Test
  void aHugeFileIsRefusedAtOnceAmongGoodOnesAndNothingIsParsedTwice(@TempDir Path dir)
      throws IOException {
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(10L << 20); // 10 MiB, sparse
    }
    Path commented = dir.resolve("commented.yaml");
    Files.writeString(
        commented,
        BrokenProfilesTest.padWithCommentLines(
            Files.readString(Path.of("device-profiles/liver-perfusion-bioreactor.yaml")), 900_000));
    long parses = YamlDocument.parseCount();

    int code = run(huge.toString(), commented.toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString().lines())
        .containsExactly(
            huge
                + ":0: (file): is 10485760 bytes; profiles and plant configurations are at most 1048576 bytes (1 MiB)",
            commented
                + ": OK (device profile liver-perfusion-bioreactor: 6 sensors, 3 actuators, 3 loops, 2 interlocks)",
            "1 problem in 1 file; nothing will start with it.");
    assertThat(YamlDocument.parseCount() - parses)
        .as("parses: the huge file none, the profile once")
        .isEqualTo(1);
  }

  @Test
  void aPlantConfigurationIsParsedOnceAndEachProfileItNamesOnce() {
    long parses = YamlDocument.parseCount();

    int code = run("src/test/resources/plant/valid-base.yaml");

    assertThat(code).isZero();
    assertThat(YamlDocument.parseCount() - parses)
        .as("parses: the configuration and its one shared profile")
        .isEqualTo(2);
  }

  @Test
  void aBinaryFileIsNotATextFileNotAYamlSyntaxError(@TempDir Path dir) throws IOException {
    Path binary = dir.resolve("profile.yaml");
    Files.write(binary, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}); // a gzip header

    int code = run(binary.toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .startsWith(binary + ":1: (file): not a text file")
        .doesNotContain("syntax");
  }

  @Test
  void withoutAFileItIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter").contains("FILE");
  }
}

package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Verifies {@code hepaloop simulate} as a user runs it. */
@Timeout(60)
class SimulateCommandIT {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void itPrintsOneEndpointUrlPerReactorAndStopsCleanly() {
    Run r =
        run(
            "simulate",
            "--reactors",
            "3",
            "--port",
            "0",
            "--duration",
            "1",
            "--pki-dir",
            System.getProperty("java.io.tmpdir") + "/hepaloop-sim-pki",
            "--scenario",
            "door-open",
            "--speed",
            "60");
    assertThat(r.exit()).as(r.err()).isZero();
    Matcher m =
        Pattern.compile("(r\\d)\\s+opc\\.tcp://127\\.0\\.0\\.1:(\\d+)/hepaloop").matcher(r.out());
    int n = 0;
    while (m.find()) {
      n++;
    }
    assertThat(n).as(r.out()).isEqualTo(3);
    assertThat(r.out()).contains("scenario door-open").contains("speed 60x");
  }

  @Test
  void aSharedServerPrintsTheSameUrlForEveryReactor() {
    Run r =
        run(
            "simulate",
            "--reactors",
            "a,b",
            "--layout",
            "shared",
            "--port",
            "0",
            "--duration",
            "0.5",
            "--pki-dir",
            System.getProperty("java.io.tmpdir") + "/hepaloop-sim-pki");
    assertThat(r.exit()).as(r.err()).isZero();
    Matcher m = Pattern.compile("\\s+(a|b)\\s+(opc\\.tcp://\\S+)").matcher(r.out());
    assertThat(m.find()).isTrue();
    String first = m.group(2);
    assertThat(m.find()).isTrue();
    assertThat(m.group(2)).isEqualTo(first);
  }

  @Test
  void anUnknownScenarioIsRefusedWithTheKnownOnes() {
    Run r = run("simulate", "--scenario", "no-such-thing", "--port", "0", "--duration", "0.1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no scenario 'no-such-thing'").contains("sensor-faults");
  }

  @Test
  void usersComeFromAnEnvironmentVariableAndAMissingOneIsAClearError() {
    assertThat(SimulateCommand.users("V", "alice:pw1,bob:p:w"))
        .containsEntry("alice", "pw1")
        .containsEntry("bob", "p:w");
    Run r =
        run(
            "simulate",
            "--users-env",
            "HEPALOOP_TEST_NO_SUCH_VAR",
            "--port",
            "0",
            "--duration",
            "0.1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("HEPALOOP_TEST_NO_SUCH_VAR").contains("not set");
  }

  @Test
  void reactorsAreANumberOrAListOfIds() {
    assertThat(SimulateCommand.reactorIds("3")).containsExactly("r1", "r2", "r3");
    assertThat(SimulateCommand.reactorIds("lab-1, lab-2")).containsExactly("lab-1", "lab-2");
  }
}

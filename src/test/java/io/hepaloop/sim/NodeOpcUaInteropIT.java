package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies interoperability with an OPC UA stack nobody here wrote: a Node.js script using
 * node-opcua ({@code src/test/node/interop.js}) connects to the simulator, browses the reactor
 * folder, reads every signal, writes an actuator, is refused a sensor write and receives
 * subscription updates; this test asserts what it printed and what the plant model saw.
 */
@Timeout(120)
class NodeOpcUaInteropIT {
  static final Path NODE_DIR = Path.of("src/test/node");
  static DeviceProfile profile;
  static Simulator sim;

  @BeforeAll
  static void start() throws Exception {
    assertThat(NODE_DIR.resolve("node_modules/node-opcua"))
        .as("node-opcua is installed: run scripts/install-test-deps " + "(npm ci in src/test/node)")
        .isDirectory();
    profile = SimClients.profile();
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("r1", "r2")
                .user("operator", "interop-pw")
                .build());
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  static List<String> runNode(String reactor, String... extra)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "node",
                "interop.js",
                sim.endpointUrl(reactor),
                profile.namespaceUri(),
                reactor,
                String.join(",", profile.signals().stream().map(SignalSpec::id).toList())));
    cmd.addAll(Arrays.asList(extra));
    Path log = Files.createTempFile("node-interop", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        throw new AssertionError("node did not finish in 90 s:\n" + Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
    return lines;
  }

  static String line(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line '" + prefix + "' in:\n" + String.join("\n", lines)));
  }

  static void assertInterop(List<String> lines, String reactor) {
    assertThat(line(lines, "NAMESPACE ")).matches("NAMESPACE \\d+");
    List<String> expected =
        new ArrayList<>(profile.signals().stream().map(SignalSpec::id).toList());
    expected.add("watchdog");
    expected.sort(null);
    assertThat(line(lines, "BROWSE ")).isEqualTo("BROWSE Good " + String.join(",", expected));

    for (SignalSpec s : profile.signals()) {
      String[] read = line(lines, "READ " + s.id() + " ").split(" ");
      assertThat(read[2]).as(s.id()).isEqualTo(s.dataType());
      assertThat(read[4]).as(s.id()).isEqualTo("Good");
    }
    assertThat(Double.parseDouble(line(lines, "READ temperature ").split(" ")[3]))
        .isCloseTo(37.0, within(0.5));
    assertThat(Integer.parseInt(line(lines, "READ pressure_inlet ").split(" ")[3]))
        .isBetween(1000, 1400);

    assertThat(line(lines, "WRITE pump 40")).isEqualTo("WRITE pump 40 Good");
    assertThat(line(lines, "READBACK pump")).isEqualTo("READBACK pump 40");
    assertThat(sim.reactor(reactor).actuator("pump")).isEqualTo(40.0);
    assertThat(line(lines, "WRITE temperature 20")).matches("WRITE temperature 20 Bad\\w+");

    String[] sub = line(lines, "SUBSCRIPTION flow ").split(" ");
    assertThat(Integer.parseInt(sub[2])).as("updates in 2 s at 100 ms").isGreaterThanOrEqualTo(5);
    assertThat(Double.parseDouble(sub[3])).isGreaterThan(1.0); // the pump at 40 % drives 1.6 mL/min
    assertThat(sub[4]).isEqualTo("Good");
    assertThat(lines).contains("DONE");
  }

  @Test
  void nodeOpcuaBrowsesReadsWritesAndSubscribesOverNoneAsAnonymous() throws Exception {
    List<String> lines = runNode("r1");
    assertThat(line(lines, "CONNECTED ")).endsWith("None");
    assertInterop(lines, "r1");
  }

  @Test
  void nodeOpcuaDoesTheSameOverSignAndEncryptWithAUsername() throws Exception {
    List<String> lines = runNode("r2", "operator", "interop-pw");
    assertThat(line(lines, "CONNECTED ")).endsWith("SignAndEncrypt");
    assertThat(line(lines, "SESSION ")).isEqualTo("SESSION username");
    assertInterop(lines, "r2");
  }
}

package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.sim.Simulator;
import io.hepaloop.testing.SimulatedPlant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running {@code hepaloop serve} as a separate JVM, for process-level tests: its process and what
 * it printed so far. {@link #simulatedPlant} starts the simulator it talks to and writes its
 * config.
 */
final class ServeProcess {
  static final String R = SimulatedPlant.R;
  static final Path PROFILE = SimulatedPlant.PROFILE;
  static final Pattern API = Pattern.compile("API and metrics on (http://\\S+)/metrics");
  static final Duration LONG = Duration.ofSeconds(90);

  /** The simulator of {@link #R}, serve's config file and its data directory. */
  record Plant(Simulator sim, Path config, Path data) {}

  /**
   * Starts our simulator of {@link #R} ({@link SimulatedPlant#simulator}, PKI in {@code
   * dir/sim-pki}) and writes {@code dir/hepaloop.yaml} for it with the data directory {@code
   * dir/data}.
   */
  static Plant simulatedPlant(Path dir) throws Exception {
    Simulator sim = SimulatedPlant.simulator(dir.resolve("sim-pki"));
    Path data = dir.resolve("data");
    Path config = dir.resolve("hepaloop.yaml");
    PlantConfigWriter.writeSimulated(
        config, data, PROFILE.toAbsolutePath(), Map.of(R, sim.endpointUrl(R)));
    return new Plant(sim, config, data);
  }

  final Process process;
  final StringBuffer out = new StringBuffer();
  final Path err;

  ServeProcess(Path config, Path err) throws Exception {
    this(config, err, Map.of());
  }

  /**
   * With {@code env} added to the environment (e.g. HEPALOOP_ROOT, where recipes are) and {@code
   * extra} options after the usual ones.
   */
  ServeProcess(Path config, Path err, Map<String, String> env, String... extra) throws Exception {
    this.err = err;
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HepaLoop.class.getName(),
                "serve",
                "--config",
                config.toString(),
                "--http-port",
                "0",
                "--no-influxd",
                "--quiet"));
    command.addAll(List.of(extra));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().putAll(env);
    process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.append(line).append('\n');
                }
              } catch (Exception e) {
                // the process ended
              }
            },
            "serve-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The API's base URL once serve is up: it printed its run line, and on a first start the line of
   * the first admin (written after the server listens).
   */
  String base(boolean firstStart) throws Exception {
    await()
        .atMost(LONG)
        .until(
            () ->
                !process.isAlive()
                    || out.indexOf("\nrun: ") >= 0
                        && (!firstStart || out.indexOf("first start: created user") >= 0));
    Matcher m = API.matcher(out);
    assertThat(m.find())
        .as("serve printed its URL; out:%n%s%nerr:%n%s", out, Files.readString(err))
        .isTrue();
    return m.group(1);
  }

  /** SIGTERM, then the exit code: 143 (128 + 15) once the shutdown hook let the JVM exit. */
  int terminate() throws Exception {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
    return process.exitValue();
  }
}

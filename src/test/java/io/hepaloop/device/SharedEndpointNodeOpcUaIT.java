package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.device.DeviceLinkOptions.HeartbeatSource;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 64 reactors behind ONE endpoint of a server we did not write ({@code
 * src/test/node/gateway-server.js}, node-opcua) that allows only 4 sessions, with the node layout
 * of {@code plc-gateway-example.yaml}: the links share one session, receive every value of a
 * sequence the server steps once a second, keep every reactor's watchdog written, isolate a reactor
 * whose profile does not match the device, and all come back after the server is stopped and
 * started again on the same port.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ThreadDumpOnFailure.class)
class SharedEndpointNodeOpcUaIT {
  static final Path NODE_DIR = Path.of("src/test/node");
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/plc-gateway-example.yaml"));
  static final int REACTORS = 64;
  static final int MAX_SESSIONS = 4;

  /** The server steps each reactor's FT301 once per tick; the profile samples it every 250 ms. */
  static final int TICK_MS = 1000;

  static final List<String> IDS =
      IntStream.rangeClosed(1, REACTORS).mapToObj(i -> String.format("r%02d", i)).toList();

  static int port;
  static NodeServer server;
  static Vertx vertx;
  static EndpointSessions sessions;
  static final Map<String, LinkItSupport.Recorder> recorders = new LinkedHashMap<>();
  static final List<DeviceLink> links = new ArrayList<>();

  /** The node process and what it printed. */
  static final class NodeServer {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile Map<String, Long> status = Map.of();
    final java.util.concurrent.atomic.AtomicLong statusLines =
        new java.util.concurrent.atomic.AtomicLong();

    NodeServer(int firstSeq) throws IOException {
      this(port, REACTORS, firstSeq);
    }

    NodeServer(int port, int reactors, int firstSeq) throws IOException {
      process =
          new ProcessBuilder(
                  "node",
                  "gateway-server.js",
                  String.valueOf(port),
                  String.valueOf(reactors),
                  String.valueOf(MAX_SESSIONS),
                  String.valueOf(TICK_MS),
                  String.valueOf(firstSeq))
              .directory(NODE_DIR.toFile())
              .redirectErrorStream(true)
              .start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("STATUS ")) {
                      Map<String, Long> m = new LinkedHashMap<>();
                      Matcher kv = Pattern.compile("(\\w+)=(\\d+)").matcher(line);
                      while (kv.find()) {
                        m.put(kv.group(1), Long.parseLong(kv.group(2)));
                      }
                      status = m;
                      statusLines.incrementAndGet();
                    } else if (lines.size() < 500) {
                      lines.add(line);
                    }
                  }
                } catch (IOException e) {
                  // the process ended
                }
              },
              "node-gateway-output");
      reader.setDaemon(true);
      reader.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  lines.stream().anyMatch(l -> l.startsWith("READY"))
                      || lines.stream().anyMatch(l -> l.startsWith("FAILED"))
                      || !process.isAlive());
      assertThat(lines).as("node gateway output").anyMatch(l -> l.startsWith("READY"));
      await().atMost(Duration.ofSeconds(10)).until(() -> status.containsKey("seq"));
    }

    /** A line to the server's stdin (WD_FAIL rNN, WD_OK rNN, KILL_SUB rNN, EXPIRE_SUB rNN). */
    void send(String line) throws IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    long status(String key) {
      return status.getOrDefault(key, -1L);
    }

    /**
     * A status value the server printed after this call began: the server prints every 500 ms, so
     * the line in hand may predate what the test just waited for (a loaded machine showed
     * peakSessions=0 with all 64 reactors already connected).
     */
    long freshStatus(String key) {
      long seen = statusLines.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> statusLines.get() >= seen + 2);
      return status(key);
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    assertThat(NODE_DIR.resolve("node_modules/node-opcua"))
        .as("node-opcua is installed: run scripts/install-test-deps " + "(npm ci in src/test/node)")
        .isDirectory();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    server = new NodeServer(0);
    vertx = LinkItSupport.vertx();
    sessions = new EndpointSessions();
    for (String id : IDS) {
      recorders.put(id, new LinkItSupport.Recorder(vertx, id));
      DeviceLink link =
          new DeviceLink(
              DeviceLinkOptions.builder(id, PROFILE, url()).heartbeat(HeartbeatSource.LINK).build(),
              sessions);
      links.add(link);
      vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop();
    }
  }

  static String url() {
    return "opc.tcp://127.0.0.1:" + port + "/";
  }

  static long connected() {
    return recorders.values().stream().filter(r -> r.state() == LinkState.State.CONNECTED).count();
  }

  /**
   * FT301 raw counts (µL/min) of one reactor, fresh values only, that arrived after {@code
   * afterNanos}.
   */
  static List<Long> sequence(String id, long afterNanos, long beforeNanos) {
    return recorders.get(id).arrivals.stream()
        .filter(a -> a.arrivedNanos() > afterNanos && a.arrivedNanos() <= beforeNanos)
        .filter(
            a -> a.sample().signalId().equals("flow") && !a.sample().stale() && a.sample().usable())
        .map(a -> Math.round(a.sample().value() * 1000))
        .toList();
  }

  /**
   * Values of the server's sequence that never arrived, summed over all reactors; fails on a value
   * seen twice.
   */
  static long lostSteps(long fromNanos, long toNanos, int minValuesPerReactor) {
    long lost = 0;
    for (String id : IDS) {
      List<Long> seq = sequence(id, fromNanos, toNanos);
      assertThat(seq.size())
          .as("values of reactor %s's sequence in the window", id)
          .isGreaterThanOrEqualTo(minValuesPerReactor);
      for (int i = 1; i < seq.size(); i++) {
        long step = Math.floorMod(seq.get(i) - seq.get(i - 1), 10000);
        assertThat(step)
            .as("reactor %s: %d after %d (a value twice)", id, seq.get(i), seq.get(i - 1))
            .isPositive();
        lost += step - 1;
      }
    }
    return lost;
  }

  /** Measures for {@code seconds} of real time with every link up, then checks the sequences. */
  static void everyValueArrivesFor(int seconds) {
    long from = System.nanoTime();
    await()
        .pollDelay(Duration.ofSeconds(seconds))
        .atMost(Duration.ofSeconds(seconds + 5))
        .until(() -> true);
    long to = System.nanoTime();
    assertThat(connected()).isEqualTo(REACTORS);
    // At one step per second a reactor sees at least seconds - 2 steps (the edges fall anywhere).
    assertThat(lostSteps(from, to, seconds * 1000 / TICK_MS - 2))
        .as("values of the sequence lost")
        .isZero();
  }

  @Test
  @Order(1)
  void sixtyFourReactorsOnOneEndpointShareOneSessionAndMissNoValue() {
    await().atMost(Duration.ofSeconds(90)).until(() -> connected() == REACTORS);
    assertThat(server.freshStatus("peakSessions"))
        .as("sessions the server saw at once")
        .isEqualTo(1);
    assertThat(sessions.sessionsOpened()).isEqualTo(1);
    everyValueArrivesFor(10);
    // Each reactor's own watchdog is written (the profile's interval is 1 s).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.status("wdReactorsRecent") == REACTORS);
    assertThat(server.freshStatus("sessions")).isEqualTo(1);
    for (String id : IDS) {
      assertThat(recorders.get(id).latest.get("temperature").value())
          .as(id)
          .isCloseTo(37.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  @Order(2)
  void aReactorWhoseProfileDoesNotMatchTheDeviceFailsAloneOnTheSharedSession() throws Exception {
    long statesBefore = recorders.values().stream().mapToLong(r -> r.states.size()).sum();
    // A flow meter the gateway does not have, next to r07's tags.
    DeviceProfile missingNode =
        withSignal(
            PROFILE,
            "flow",
            s ->
                new SignalSpec(
                    s.id(),
                    s.kind(),
                    s.description(),
                    s.nodeId().replace("FT301", "FT399"),
                    s.dataType(),
                    s.unit(),
                    s.range(),
                    s.scaling(),
                    s.samplingIntervalMs(),
                    s.deadband(),
                    s.allowed(),
                    s.safeValue()));
    // A temperature the profile calls Float where the gateway publishes Int16 tenths.
    DeviceProfile wrongType =
        withSignal(
            PROFILE,
            "temperature",
            s ->
                new SignalSpec(
                    s.id(),
                    s.kind(),
                    s.description(),
                    s.nodeId(),
                    "Float",
                    s.unit(),
                    s.range(),
                    null,
                    s.samplingIntervalMs(),
                    s.deadband(),
                    s.allowed(),
                    s.safeValue()));
    var recMissing = new LinkItSupport.Recorder(vertx, "x1");
    var recWrong = new LinkItSupport.Recorder(vertx, "x2");
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("x1", missingNode, url())
                    .nodeIdReactor("r07")
                    .heartbeat(HeartbeatSource.LINK)
                    .build(),
                sessions))
        .await(10, TimeUnit.SECONDS);
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("x2", wrongType, url())
                    .nodeIdReactor("r08")
                    .heartbeat(HeartbeatSource.LINK)
                    .build(),
                sessions))
        .await(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                recMissing.lastState() != null
                    && recMissing.lastState().reason().contains("does not match")
                    && recWrong.lastState() != null
                    && recWrong.lastState().reason().contains("does not match"));
    assertThat(recMissing.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(recMissing.lastState().reason())
        .contains("cannot monitor flow", "r07.FT399", "Bad_NodeIdUnknown");
    assertThat(recWrong.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(recWrong.lastState().reason())
        .contains("temperature", "r08.TT101", "is Int16 on the device, Float in the profile");
    assertThat(recMissing.latest)
        .as("nothing published from a reactor whose items were refused")
        .isEmpty();

    // The neighbours never noticed: no state change, every value still arriving, still one session.
    everyValueArrivesFor(5);
    assertThat(recorders.values().stream().mapToLong(r -> r.states.size()).sum())
        .isEqualTo(statesBefore);
    assertThat(server.freshStatus("peakSessions")).isEqualTo(1);
    assertThat(sessions.sessionsOpened()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aReactorWhoseWatchdogTheGatewayCannotReachIsDroppedAloneAndComesBack() throws Exception {
    String victim = "r05";
    Map<String, Integer> statesBefore = new LinkedHashMap<>();
    recorders.forEach((id, r) -> statesBefore.put(id, r.states.size()));
    // The session answers; only r05's watchdog write comes back Bad_NoCommunication (its PLC behind
    // the gateway is gone).
    server.send("WD_FAIL " + victim);
    LinkItSupport.Recorder rec = recorders.get(victim);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                rec.states.stream()
                    .anyMatch(
                        st ->
                            st.state() == LinkState.State.DISCONNECTED
                                && st.reason().contains("heartbeats in a row unanswered")
                                && st.reason().contains("Bad_NoCommunication")));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.latest.values().stream().anyMatch(Sample::stale));

    long okNanos = System.nanoTime();
    server.send("WD_OK " + victim);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                rec.state() == LinkState.State.CONNECTED
                    && sequence(victim, okNanos, System.nanoTime()).size() >= 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.status("wdReactorsRecent") == REACTORS);
    // Nobody else noticed, and it all stayed on the one session.
    for (String id : IDS) {
      if (!id.equals(victim)) {
        assertThat(recorders.get(id).states).as(id).hasSize(statesBefore.get(id));
      }
    }
    assertThat(sessions.sessionsOpened()).isEqualTo(1);
    assertThat(server.freshStatus("peakSessions")).isEqualTo(1);
    everyValueArrivesFor(5);
  }

  @Test
  @Order(4)
  void afterTheServerIsStoppedAndStartedAgainEveryReactorIsBackAndValuesFlow() throws Exception {
    server.stop();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                recorders.values().stream()
                    .allMatch(r -> r.state() == LinkState.State.DISCONNECTED));
    assertThat(recorders.get("r01").lastState().reason()).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                recorders.values().stream()
                    .allMatch(r -> r.latest.values().stream().allMatch(Sample::stale)));

    server = new NodeServer(5000);
    long back = System.nanoTime();
    await().atMost(Duration.ofSeconds(90)).until(() -> connected() == REACTORS);
    double seconds = (System.nanoTime() - back) / 1e9;
    assertThat(server.freshStatus("peakSessions"))
        .as("sessions the restarted server saw at once")
        .isEqualTo(1);
    everyValueArrivesFor(8);
    for (String id : IDS) {
      assertThat(sequence(id, back, System.nanoTime())).as(id).allMatch(v -> v >= 5000);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.status("wdReactorsRecent") == REACTORS);
    System.out.printf(
        "SharedEndpointNodeOpcUaIT: %d reactors CONNECTED %.1f s after the server was back%n",
        REACTORS, seconds);
  }

  static DeviceProfile withSignal(
      DeviceProfile p, String id, java.util.function.UnaryOperator<SignalSpec> change) {
    List<SignalSpec> signals =
        p.signals().stream().map(s -> s.id().equals(id) ? change.apply(s) : s).toList();
    return p.withSignals(signals);
  }
}

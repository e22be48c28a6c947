package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.device.DeviceLinkOptions.HeartbeatSource;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * One shared session, two subscriptions (reactors r01-r06 publish every 250 ms, r07-r12 every 500
 * ms), against the node-opcua gateway ({@code src/test/node/gateway-server.js}): when the device
 * ends ONE subscription — deleted server-side without a word (the client notices by its watchdog),
 * or expired with a BadTimeout status change — only that subscription's reactors go DISCONNECTED
 * with a reason, come back CONNECTED with fresh values once the link has re-created it, on the same
 * session; the other subscription's reactors never change state and miss no value, and no device
 * watchdog trips (the heartbeat rides on the session, which stays).
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ThreadDumpOnFailure.class)
class SubscriptionRecoveryNodeOpcUaIT {
  static final int REACTORS = 12;
  static final List<String> FAST =
      IntStream.rangeClosed(1, 6).mapToObj(i -> String.format("r%02d", i)).toList();
  static final List<String> SLOW =
      IntStream.rangeClosed(7, 12).mapToObj(i -> String.format("r%02d", i)).toList();

  static int port;
  static SharedEndpointNodeOpcUaIT.NodeServer server;
  static Vertx vertx;
  static EndpointSessions sessions;
  static final Map<String, LinkItSupport.Recorder> recorders = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    assertThat(SharedEndpointNodeOpcUaIT.NODE_DIR.resolve("node_modules/node-opcua"))
        .as("node-opcua is installed: run scripts/install-test-deps (npm ci in src/test/node)")
        .isDirectory();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    server = new SharedEndpointNodeOpcUaIT.NodeServer(port, REACTORS, 0);
    vertx = LinkItSupport.vertx();
    sessions = new EndpointSessions();
    for (int i = 1; i <= REACTORS; i++) {
      String id = String.format("r%02d", i);
      recorders.put(id, new LinkItSupport.Recorder(vertx, id));
      DeviceLink link =
          new DeviceLink(
              DeviceLinkOptions.builder(
                      id, SharedEndpointNodeOpcUaIT.PROFILE, "opc.tcp://127.0.0.1:" + port + "/")
                  .heartbeat(HeartbeatSource.LINK)
                  .publishingIntervalMs(SLOW.contains(id) ? 500.0 : 250.0)
                  .build(),
              sessions);
      vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                recorders.values().stream().allMatch(r -> r.state() == LinkState.State.CONNECTED));
    assertThat(server.freshStatus("subscriptions"))
        .as("one session, two publishing intervals: two subscriptions")
        .isEqualTo(2);
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

  @Test
  @Order(1)
  void aSubscriptionTheDeviceDeletedSilentlyIsRecreatedAndOnlyItsReactorsNoticed()
      throws Exception {
    oneSubscriptionEndsAndComesBack("KILL_SUB", FAST, SLOW);
  }

  @Test
  @Order(2)
  void aSubscriptionTheDeviceEndedWithABadStatusIsRecreatedAndOnlyItsReactorsNoticed()
      throws Exception {
    oneSubscriptionEndsAndComesBack("EXPIRE_SUB", SLOW, FAST);
  }

  @Test
  @Order(3)
  void aSubscriptionThatCannotBeCreatedAgainEndsTheSessionForEveryReactorWhoAllComeBack()
      throws Exception {
    Map<String, Integer> statesBefore = new LinkedHashMap<>();
    recorders.forEach((id, r) -> statesBefore.put(id, r.states.size()));
    // The session holds two subscriptions; once one is gone, the device allows no second.
    server.send("SUBS_LIMIT 1");
    server.send("EXPIRE_SUB " + FAST.get(0));
    for (String id : recorders.keySet()) {
      LinkItSupport.Recorder rec = recorders.get(id);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  rec.states.stream()
                      .skip(statesBefore.get(id))
                      .anyMatch(
                          st ->
                              st.state() == LinkState.State.DISCONNECTED
                                  && st.reason().contains("re-creating the subscription failed")
                                  && st.reason().contains("Bad_TooManySubscriptions")));
    }
    server.send("SUBS_LIMIT 10");
    long back = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () ->
                recorders.values().stream().allMatch(r -> r.state() == LinkState.State.CONNECTED));
    for (String id : recorders.keySet()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> flowSequence(id, back, System.nanoTime()).size() >= 2);
    }
    assertThat(sessions.sessionsOpened()).as("the session was reconnected once").isEqualTo(2);
    assertThat(server.freshStatus("subscriptions")).isEqualTo(2);
    System.out.printf(
        "SubscriptionRecoveryNodeOpcUaIT escalation: all %d reactors CONNECTED %.1f s after the"
            + " device allowed the subscription again%n",
        REACTORS, (System.nanoTime() - back) / 1e9);
  }

  private void oneSubscriptionEndsAndComesBack(
      String command, List<String> affected, List<String> others) throws Exception {
    Map<String, Integer> statesBefore = new LinkedHashMap<>();
    recorders.forEach((id, r) -> statesBefore.put(id, r.states.size()));
    long from = System.nanoTime();
    server.send(command + " " + affected.get(0));
    for (String id : affected) {
      LinkItSupport.Recorder rec = recorders.get(id);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  rec.states.stream()
                      .skip(statesBefore.get(id))
                      .anyMatch(
                          st ->
                              st.state() == LinkState.State.DISCONNECTED
                                  && st.reason().contains("subscription")
                                  && st.reason().contains("re-creating it")));
    }
    long downNanos = System.nanoTime();
    for (String id : affected) {
      LinkItSupport.Recorder rec = recorders.get(id);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  rec.state() == LinkState.State.CONNECTED
                      && flowSequence(id, downNanos, System.nanoTime()).size() >= 2);
      assertThat(rec.arrivals.stream().anyMatch(a -> a.arrivedNanos() > from && a.sample().stale()))
          .as("%s published its values as stale while its data stopped", id)
          .isTrue();
    }
    double recoveredS = (System.nanoTime() - from) / 1e9;
    // The others never left CONNECTED and missed no value of the server's sequence meanwhile.
    long to = System.nanoTime();
    for (String id : others) {
      assertThat(recorders.get(id).states).as(id).hasSize(statesBefore.get(id));
      List<Long> seq = flowSequence(id, from, to);
      assertThat(seq.size()).as(id).isGreaterThanOrEqualTo((int) recoveredS - 2);
      for (int i = 1; i < seq.size(); i++) {
        assertThat(Math.floorMod(seq.get(i) - seq.get(i - 1), 10000))
            .as("%s: %d after %d", id, seq.get(i), seq.get(i - 1))
            .isEqualTo(1);
      }
    }
    assertThat(sessions.sessionsOpened()).as("still the first session").isEqualTo(1);
    assertThat(server.freshStatus("subscriptions")).isEqualTo(2);
    assertThat(server.freshStatus("sessionsCreated")).isEqualTo(1);
    assertThat(server.status("wdTrips")).as("device watchdog trips").isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.status("wdReactorsRecent") == REACTORS);
    System.out.printf(
        "SubscriptionRecoveryNodeOpcUaIT %s: %d reactors back %.1f s after the subscription was"
            + " ended, %d others untouched%n",
        command, affected.size(), recoveredS, others.size());
  }

  /** FT301 raw counts of one reactor (fresh values) that arrived in the window. */
  static List<Long> flowSequence(String id, long afterNanos, long beforeNanos) {
    return recorders.get(id).arrivals.stream()
        .filter(a -> a.arrivedNanos() > afterNanos && a.arrivedNanos() <= beforeNanos)
        .filter(
            a -> a.sample().signalId().equals("flow") && !a.sample().stale() && a.sample().usable())
        .map(a -> Math.round(a.sample().value() * 1000))
        .toList();
  }
}

package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.core.Quality;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a device link survives its device restarting: the outage is published (LinkState,
 * event, stale values) and samples flow again within 2 s of the server being back — where Milo's
 * own reconnect waits up to 16 s and then cannot transfer the old subscription.
 */
@Timeout(90)
@ExtendWith(ThreadDumpOnFailure.class)
class DeviceLinkReconnectIT {
  @TempDir Path tmp;
  private Simulator sim;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void samplesFlowAgainWithinTwoSecondsOfTheServerBeingBackAndTheOutageIsPublished()
      throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1")
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
    vertx = LinkItSupport.vertx();
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    DeviceLink link =
        new DeviceLink(
            DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
                .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                .build());
    vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED && rec.latest.size() >= 5);

    sim.stopServer("r1");
    // Noticed within a few seconds, published as state, event and stale values.
    await().atMost(Duration.ofSeconds(5)).until(() -> rec.state() == LinkState.State.DISCONNECTED);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> rec.events.stream().anyMatch(e -> e.message().contains("lost")));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> rec.latest.values().stream().allMatch(Sample::stale));
    assertThat(rec.latest.values()).allSatisfy(s -> assertThat(s.quality()).isEqualTo(Quality.BAD));
    assertThat(rec.lastState().reason()).isNotBlank();
    // Let the link fail a few reconnects while the device is down (its backoff reaches the 1 s
    // cap).
    long attempts = link.connectAttempts();
    await().atMost(Duration.ofSeconds(10)).until(() -> link.connectAttempts() >= attempts + 3);

    sim.startServer("r1");
    long backNanos = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> rec.freshAfter(backNanos).isPresent());
    double seconds = (rec.freshAfter(backNanos).orElseThrow().arrivedNanos() - backNanos) / 1e9;
    assertThat(seconds).as("seconds from server back to the first fresh sample").isLessThan(2.0);
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTED);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> rec.events.stream().anyMatch(e -> e.message().contains("restored")));
    // One "lost" and one "restored" event, however many retries failed in between.
    assertThat(rec.events).hasSize(2);
  }

  private static String kind(String message) {
    for (String k : new String[] {"holds again", "lost again", "restored", "lost"}) {
      if (message.contains(k)) {
        return k;
      }
    }
    return message;
  }

  @Test
  void aLinkThatKeepsDroppingRightAfterEachRestoreIsAnnouncedAsUnstableOnceNotAtEveryDrop()
      throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1")
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
    vertx = LinkItSupport.vertx();
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    DeviceLink link =
        new DeviceLink(
            DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
                .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                .build());
    vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED);

    for (int drop = 0; drop < 4; drop++) { // each session dies soon after it is restored
      sim.stopServer("r1");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> rec.state() == LinkState.State.DISCONNECTED);
      sim.startServer("r1");
      await().atMost(Duration.ofSeconds(10)).until(() -> rec.state() == LinkState.State.CONNECTED);
    }
    await()
        .atMost(Duration.ofSeconds(DeviceLink.STABLE_MS / 1000 + 5))
        .until(() -> rec.events.stream().anyMatch(e -> e.message().contains("holds again")));

    assertThat(rec.events)
        .extracting(e -> e.severity() + ": " + kind(e.message()))
        .as("lost, restored, unstable (once for three more drops), holds again")
        .containsExactly(
            "warning: lost", "info: restored", "warning: lost again", "info: holds again");
    assertThat(rec.events.get(3).message()).contains("3 losses");
    assertThat(rec.states)
        .filteredOn(st -> st.state() == LinkState.State.DISCONNECTED)
        .hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void aDeviceThatStopsAnsweringWithTheConnectionOpenIsNoticedWithinAFewSecondsAndRecovered()
      throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1")
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
    vertx = LinkItSupport.vertx();
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED && rec.latest.size() >= 5);

    // No FIN, no RST: only the keep-alive and the subscription watchdog can tell.
    long silentNanos = System.nanoTime();
    sim.commsDrop("r1", Duration.ofSeconds(6));
    await().atMost(Duration.ofSeconds(6)).until(() -> rec.state() == LinkState.State.DISCONNECTED);
    double noticedS = (System.nanoTime() - silentNanos) / 1e9;
    assertThat(noticedS).as("seconds until the silent device was noticed").isLessThan(5.0);
    assertThat(rec.latest.values()).allSatisfy(s -> assertThat(s.stale()).isTrue());

    long resumedAfter = silentNanos + Duration.ofSeconds(6).toNanos();
    await().atMost(Duration.ofSeconds(15)).until(() -> rec.freshAfter(resumedAfter).isPresent());
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTED);
  }

  @Test
  void heartbeatsNobodyAnswersEndTheSessionEvenWhenMiloStillThinksItIsAlive() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1")
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
    vertx = LinkItSupport.vertx();
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    // Milo's keep-alive and the subscription's watchdog set a minute out: only the heartbeat can
    // tell.
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .keepAlive(60_000, 5)
                    .requestTimeoutMs(1_000)
                    .build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED && rec.latest.size() >= 5);

    long silentNanos = System.nanoTime();
    sim.commsDrop("r1", Duration.ofSeconds(8));
    await().atMost(Duration.ofSeconds(8)).until(() -> rec.state() == LinkState.State.DISCONNECTED);
    double noticedS = (System.nanoTime() - silentNanos) / 1e9;
    assertThat(rec.lastState().reason()).contains("heartbeats in a row unanswered");
    assertThat(noticedS)
        .as("seconds until the unanswered heartbeats ended the session")
        .isLessThan(7.0);
    assertThat(rec.latest.values()).allSatisfy(s -> assertThat(s.stale()).isTrue());

    long resumedAfter = silentNanos + Duration.ofSeconds(8).toNanos();
    await().atMost(Duration.ofSeconds(15)).until(() -> rec.freshAfter(resumedAfter).isPresent());
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTED);
  }
}

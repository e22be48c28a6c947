package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies what a link does when its device is not there at all (nothing listens on the port). */
@Timeout(30)
class DeviceLinkWithoutDeviceIT {
  private Vertx vertx;
  private String url;

  @BeforeEach
  void setUp() throws Exception {
    vertx = LinkItSupport.vertx();
    try (ServerSocket s = new ServerSocket(0)) {
      url = "opc.tcp://127.0.0.1:" + s.getLocalPort() + "/hepaloop";
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aLinkToAnAbsentDeviceStaysConnectingWithAReasonRetriesQuietlyAndRefusesWrites()
      throws Exception {
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    DeviceLink link =
        new DeviceLink(DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, url).build());
    String id = vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                rec.lastState() != null && rec.lastState().reason().contains("connection refused"));
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTING);

    WriteResult w =
        vertx
            .eventBus()
            .<WriteResult>request(
                Addresses.commands("r1"), new ActuatorCommand("r1", "pump", 30, "test"))
            .await(5, TimeUnit.SECONDS)
            .body();
    assertThat(w.ok()).isFalse();
    assertThat(w.detail()).contains("CONNECTING", "nothing written");

    // Several retries happen (backoff ≤ 1 s), but the same failure is reported once, not per
    // attempt.
    await().atMost(Duration.ofSeconds(6)).until(() -> link.connectAttempts() >= 4);
    assertThat(rec.events).hasSize(1);
    assertThat(rec.events.get(0).message()).contains("cannot connect", "connection refused");
    assertThat(rec.states.stream().filter(s -> s.state() == LinkState.State.CONNECTING))
        .hasSizeLessThanOrEqualTo(2);

    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    assertThat(rec.state()).isEqualTo(LinkState.State.STOPPED);
    assertThat(link.state().state()).isEqualTo(LinkState.State.STOPPED);
  }
}

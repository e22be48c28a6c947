package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the link over Basic256Sha256/SignAndEncrypt with a user name against a simulator that
 * offers no unsecured endpoint: the right password connects and data and writes flow encrypted; a
 * wrong password is refused with a reason that says so; an untrusted server certificate is refused.
 * The client key pair comes from the link's key store (generated once, then loaded).
 */
@Timeout(90)
class DeviceLinkSecurityIT {
  @TempDir static Path tmp;
  private static Simulator sim;
  private Vertx vertx;

  @BeforeAll
  static void startSimulator() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1")
                .allowNone(false)
                .allowAnonymous(false)
                .user("operator", "correct horse")
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    if (sim != null) {
      sim.close();
    }
  }

  @BeforeEach
  void setUp() {
    vertx = LinkItSupport.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * What an operator does when commissioning: put the device's certificate in the link's trust
   * list.
   */
  private static Path pkiTrusting(Path pki) throws Exception {
    Path trusted = Files.createDirectories(pki.resolve("trusted/certs"));
    for (EndpointDescription e :
        DiscoveryClient.getEndpoints(sim.endpointUrl("r1")).get(10, TimeUnit.SECONDS)) {
      if (e.getServerCertificate() != null && e.getServerCertificate().bytes() != null) {
        Files.write(trusted.resolve("simulator.der"), e.getServerCertificate().bytesOrEmpty());
        return pki;
      }
    }
    throw new AssertionError("the simulator advertises no certificate");
  }

  private DeviceLinkOptions.Builder secure(String password, Path pki) {
    return DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
        .security("Basic256Sha256", "SignAndEncrypt")
        .user("operator", password)
        .pkiDir(pki);
  }

  @Test
  void signAndEncryptWithTheRightPasswordConnectsAndCarriesSamplesAndWrites() throws Exception {
    Path pki = pkiTrusting(tmp.resolve("link-pki-ok"));
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    vertx
        .deployVerticle(new DeviceLink(secure("correct horse", pki).build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED);
    assertThat(rec.lastState().reason()).contains("Basic256Sha256/SignAndEncrypt", "user operator");
    await().atMost(Duration.ofSeconds(5)).until(() -> rec.latest.size() >= 5);

    WriteResult w =
        vertx
            .eventBus()
            .<WriteResult>request(
                Addresses.commands("r1"), new ActuatorCommand("r1", "heater", 12.5, "test"))
            .await(10, TimeUnit.SECONDS)
            .body();
    assertThat(w.ok()).as(w.detail()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.reactor("r1").actuator("heater") == 12.5);
    assertThat(Files.exists(pki.resolve("own/hepaloop-device-link.p12"))).isTrue();
  }

  @Test
  void aWrongPasswordIsRefusedWithAReasonThatSaysSo() throws Exception {
    Path pki = pkiTrusting(tmp.resolve("link-pki-wrong"));
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    vertx
        .deployVerticle(new DeviceLink(secure("battery staple", pki).build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.lastState() != null && rec.lastState().reason().contains("refused user"));
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(rec.lastState().reason())
        .contains("'operator'", "wrong user name or password")
        .doesNotContain("battery staple");
    assertThat(rec.events)
        .anySatisfy(e -> assertThat(e.message()).contains("wrong user name or password"));
  }

  @Test
  void anUntrustedServerCertificateIsRefusedAndLandsInTheRejectedDirectory() throws Exception {
    Path pki = tmp.resolve("link-pki-untrusted");
    var rec = new LinkItSupport.Recorder(vertx, "r1");
    vertx
        .deployVerticle(new DeviceLink(secure("correct horse", pki).build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.lastState() != null && rec.lastState().reason().contains("not trusted"));
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(rec.lastState().reason()).contains("rejected", "trusted/certs");
    try (var files = Files.list(pki.resolve("rejected"))) {
      assertThat(files.count()).isPositive();
    }
  }
}

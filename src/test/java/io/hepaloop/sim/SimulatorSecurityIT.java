package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.profile.DeviceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the simulator's endpoints, identities and PKI directory. */
@Timeout(90)
class SimulatorSecurityIT {
  static final String CLIENT_URI = "urn:hepaloop:test:secure-client";
  @TempDir static Path pki;
  static DeviceProfile profile;
  static Simulator sim;
  static KeyPair clientKeys;
  static X509Certificate clientCert;

  @BeforeAll
  static void start() throws Exception {
    profile = SimClients.profile();
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("r1")
                .allowNone(false)
                .allowSignAndEncrypt(true)
                .allowAnonymous(false)
                .user("operator", "s3cret")
                .pkiDir(pki)
                .build());
    clientKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    clientCert =
        new SelfSignedCertificateBuilder(clientKeys)
            .setCommonName("hepaloop test client")
            .setApplicationUri(CLIENT_URI)
            .build();
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  static OpcUaClient connect(String url, IdentityProvider identity) throws UaException {
    return OpcUaClient.create(
            url,
            endpoints ->
                endpoints.stream()
                    .filter(
                        e ->
                            SecurityPolicy.Basic256Sha256.getUri().equals(e.getSecurityPolicyUri())
                                && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                    .findFirst(),
            t -> {},
            c ->
                c.setApplicationName(LocalizedText.english("hepaloop secure test"))
                    .setApplicationUri(CLIENT_URI)
                    .setKeyPair(clientKeys)
                    .setCertificate(clientCert)
                    .setCertificateChain(new X509Certificate[] {clientCert})
                    .setIdentityProvider(identity)
                    .setRequestTimeout(uint(5000)))
        .connect();
  }

  @Test
  void signAndEncryptWithTheRightUsernameAndPasswordReadsValues() throws Exception {
    OpcUaClient c = connect(sim.endpointUrl("r1"), new UsernameProvider("operator", "s3cret"));
    try {
      DataValue dv =
          c.readValue(
              0,
              TimestampsToReturn.Both,
              SimClients.nodeId(c, profile, profile.requireSignal("temperature").nodeIdFor("r1")));
      assertThat(dv.statusCode().isGood()).isTrue();
      // trusting all clients: the client's certificate is recorded as trusted, not as rejected
      try (Stream<Path> trusted = Files.list(pki.resolve("trusted/certs"));
          Stream<Path> rejected = Files.list(pki.resolve("rejected/certs"))) {
        assertThat(trusted.count()).isEqualTo(1);
        assertThat(rejected.count()).isZero();
      }
    } finally {
      c.disconnect();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithAnIdentityError() {
    Throwable t =
        catchThrowable(
            () -> connect(sim.endpointUrl("r1"), new UsernameProvider("operator", "wrong")));
    assertThat(t).isInstanceOf(UaException.class);
    assertThat(((UaException) t).getStatusCode().toString())
        .containsAnyOf(
            "Bad_UserAccessDenied", "Bad_IdentityTokenRejected", "Bad_IdentityTokenInvalid");
  }

  @Test
  void anonymousIsRefusedWhenTheSimulatorDoesNotAllowIt() {
    Throwable t = catchThrowable(() -> connect(sim.endpointUrl("r1"), new AnonymousProvider()));
    assertThat(t).isInstanceOf(UaException.class);
  }

  @Test
  void onlySecureEndpointsAreOfferedWithTheCertificatesApplicationUri() throws Exception {
    List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(sim.endpointUrl("r1")).get();
    List<EndpointDescription> main =
        endpoints.stream().filter(e -> e.getEndpointUrl().equals(sim.endpointUrl("r1"))).toList();
    assertThat(main)
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getSecurityMode()).isEqualTo(MessageSecurityMode.SignAndEncrypt);
              assertThat(e.getSecurityPolicyUri())
                  .isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
            });
    EndpointDescription e = main.get(0);
    X509Certificate serverCert =
        CertificateUtil.decodeCertificate(e.getServerCertificate().bytesOrEmpty());
    assertThat(CertificateUtil.getSanUri(serverCert)).contains(e.getServer().getApplicationUri());
  }

  @Test
  void thePkiDirectoryHoldsTheServerCertificateAndTrustedAndRejectedDirectories() throws Exception {
    assertThat(pki.resolve("own/simulator.pfx")).exists();
    assertThat(pki.resolve("own/simulator.der")).exists();
    assertThat(pki.resolve("trusted/certs")).isDirectory();
    assertThat(pki.resolve("rejected/certs")).isDirectory();
  }

  @Test
  void theServerCertificateIsGeneratedOnceAndReused() throws Exception {
    byte[] first = Files.readAllBytes(pki.resolve("own/simulator.der"));
    try (Simulator again =
        Simulator.start(
            SimulatorOptions.builder().profile(profile).reactorIds("x").pkiDir(pki).build())) {
      EndpointDescription e = DiscoveryClient.getEndpoints(again.endpointUrl("x")).get().get(0);
      assertThat(e.getServerCertificate().bytesOrEmpty()).isEqualTo(first);
    }
  }

  @Test
  void withStrictTrustAnUnknownClientCertificateIsRefusedAndLandsInRejected(@TempDir Path strictPki)
      throws Exception {
    try (Simulator strict =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("s")
                .allowNone(false)
                .trustAllClients(false)
                .pkiDir(strictPki)
                .build())) {
      Throwable t = catchThrowable(() -> connect(strict.endpointUrl("s"), new AnonymousProvider()));
      assertThat(t).isInstanceOf(UaException.class);
      try (Stream<Path> rejected = Files.list(strictPki.resolve("rejected/certs"))) {
        assertThat(rejected.count()).isEqualTo(1);
      }
      // an operator moves it to trusted/certs: now it connects
      try (Stream<Path> rejected = Files.list(strictPki.resolve("rejected/certs"))) {
        Path cert = rejected.findFirst().orElseThrow();
        Files.move(cert, strictPki.resolve("trusted/certs").resolve(cert.getFileName()));
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () -> {
                connect(strict.endpointUrl("s"), new AnonymousProvider()).disconnect();
                return true;
              });
    }
  }
}

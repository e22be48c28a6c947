package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedHttpsCertificateBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB over https (TLS on): a real influxd serving a self-signed certificate for 127.0.0.1.
 * With the certificate as the configured CA the writer delivers; without it the handshake fails,
 * the failure says why, and every point waits in the spool until a writer that trusts the server
 * sends it.
 */
class InfluxTlsIT {
  @TempDir Path dir;

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static InfluxConfig config(String url, Path ca) {
    return new InfluxConfig(url, "tls", null, null, null, null, null, null, true, ca);
  }

  @Test
  void theWriterDeliversOverHttpsToAServerItTrustsAndSpoolsEverythingForOneItDoesNot()
      throws Exception {
    KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate cert =
        new SelfSignedHttpsCertificateBuilder(keys)
            .setCommonName("influxd test")
            .addIpAddress("127.0.0.1")
            .build();
    Path certPem = dir.resolve("influxd.crt");
    Path keyPem = dir.resolve("influxd.key");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

    try (LocalInfluxd influxd = LocalInfluxd.launchWithTls(certPem, keyPem)) {
      assertThat(influxd.url()).startsWith("https://");
      assertThat(new InfluxHttp(config(influxd.url(), null), Duration.ofSeconds(5)).ping())
          .as("the JVM's default trust store does not know a self-signed server")
          .isFalse();
      assertThat(
              new InfluxHttp(
                      config(influxd.url().replace("https://", "http://"), certPem),
                      Duration.ofSeconds(5))
                  .config()
                  .url())
          .as("tls switches the scheme")
          .startsWith("https://");

      long t = LineBuilder.epochNanos(Instant.now().minusSeconds(10));
      Path spool = dir.resolve("spool-owner");
      TelemetryWriter untrusting =
          new TelemetryWriter(
                  new InfluxHttp(config(influxd.url(), null), Duration.ofSeconds(5)),
                  spool,
                  TelemetryWriter.Options.defaults().withBatch(10, Duration.ofMillis(10)),
                  TelemetryMetrics.standalone(),
                  null)
              .start();
      for (int i = 0; i < 100; i++) {
        untrusting.submit("tls,reactor=r1 seq=" + i + "i " + (t + i));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> untrusting.spooled() == 100 && untrusting.influxDown());
      assertThat(untrusting.delivered()).isZero();
      untrusting.close(Duration.ofMillis(200));

      InfluxConfig trusting = config(influxd.url(), certPem);
      new InfluxHttp(trusting, Duration.ofSeconds(5)).query("CREATE DATABASE tls");
      try (TelemetryWriter w =
          new TelemetryWriter(
                  new InfluxHttp(trusting, Duration.ofSeconds(5)),
                  spool,
                  TelemetryWriter.Options.defaults(),
                  TelemetryMetrics.standalone(),
                  null)
              .start()) {
        assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
      }
      assertThat(
              new InfluxHttp(trusting, Duration.ofSeconds(5))
                  .query("SELECT count(seq) FROM tls")
                  .toString())
          .contains("[0,100]");
    }
  }
}

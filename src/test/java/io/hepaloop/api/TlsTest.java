package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.api.ApiFixture.Client;
import io.hepaloop.api.ApiFixture.Response;
import io.hepaloop.users.Role;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a self-signed PKCS#12 key store made by keytool in the test, the Secure cookie under
 * TLS, and the refusal of plain HTTP beyond loopback.
 */
class TlsTest {
  private static final String STORE_PASSWORD = "keystore secret";

  @TempDir Path tmp;

  private Path selfSigned() throws Exception {
    Path file = tmp.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "hepaloop",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    return file;
  }

  /** A client that trusts exactly the test's certificate. */
  private static HttpClient trusting(Path keyStore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    Certificate cert = ks.getCertificate("hepaloop");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("hepaloop", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
  }

  @Test
  void theApiSpeaksHttpsAndTheSessionCookieIsSecure() throws Exception {
    Path keyStore = selfSigned();
    ApiSecurity.Tls tls = new ApiSecurity.Tls(keyStore, STORE_PASSWORD).checked();
    try (ApiFixture f = new ApiFixture(tmp.resolve("data"), tls, trusting(keyStore))) {
      assertThat(f.base).startsWith("https://");
      f.user("ann", Role.OPERATOR);
      Client ann = f.client();
      Response login = ann.login("ann", ApiFixture.PASSWORD);
      assertThat(login.status()).isEqualTo(200);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
          .containsIgnoringCase("Secure")
          .containsIgnoringCase("HttpOnly");
      assertThat(ann.get("/api/session").json().getString("user")).isEqualTo("ann");
    }
  }

  @Test
  void aWrongKeyStorePasswordOrFileIsNamedAtStart() throws Exception {
    Path keyStore = selfSigned();
    assertThatThrownBy(() -> new ApiSecurity.Tls(keyStore, "wrong").checked())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(keyStore.toString())
        .hasMessageContaining("wrong password");
    Path missing = tmp.resolve("none.p12");
    assertThatThrownBy(() -> new ApiSecurity.Tls(missing, "x").checked())
        .hasMessageContaining("not a readable file");
  }

  @Test
  void plainHttpBeyondLoopbackIsRefusedUnlessExplicitlyAllowed() throws Exception {
    assertThatThrownBy(() -> ApiSecurity.checkBind("0.0.0.0", null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing to serve plain HTTP on 0.0.0.0")
        .hasMessageContaining("--tls-keystore")
        .hasMessageContaining("--insecure-http");
    assertThatThrownBy(
            () -> new HttpApi(Metrics.prometheus(), "0.0.0.0", 0)) // the server checks too
        .hasMessageContaining("not a loopback address");
    ApiSecurity.checkBind("0.0.0.0", null, true);
    ApiSecurity.checkBind("0.0.0.0", new ApiSecurity.Tls(tmp, "x"), false);
    ApiSecurity.checkBind("127.0.0.1", null, false);
    ApiSecurity.checkBind("::1", null, false);
    ApiSecurity.checkBind("localhost", null, false);
  }
}

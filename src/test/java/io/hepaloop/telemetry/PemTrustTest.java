package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTrustTest {
  @TempDir Path dir;

  @Test
  void aMissingOrWrongCaFileIsNamedWithWhatIsWrong() throws Exception {
    assertThatThrownBy(() -> PemTrust.sslContextTrusting(dir.resolve("nope.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.pem")
        .hasMessageContaining("cannot read");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> PemTrust.sslContextTrusting(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty.pem")
        .hasMessageContaining("no certificate");
    Path key =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemTrust.sslContextTrusting(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key.pem");
  }
}

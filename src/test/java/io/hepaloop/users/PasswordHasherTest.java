package io.hepaloop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();
  private final char[] password = "correct horse battery".toCharArray();

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String hash = hasher.hash(password);

    assertThat(hasher.verify(password, hash)).isTrue();
    assertThat(hasher.verify("correct horse batterY".toCharArray(), hash)).isFalse();
    assertThat(hasher.verify("".toCharArray(), hash)).isFalse();
  }

  @Test
  void nonAsciiPasswordsRoundTrip() {
    char[] umlauts = "Grüße aus Zürich ✓".toCharArray();
    String hash = hasher.hash(umlauts);
    assertThat(hasher.verify(umlauts, hash)).isTrue();
    assertThat(hasher.verify("Grusse aus Zurich ?".toCharArray(), hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTimeBecauseOfItsSalt() {
    String a = hasher.hash(password);
    String b = hasher.hash(password);

    assertThat(a).isNotEqualTo(b);
    assertThat(a.split("\\$")[4]).isNotEqualTo(b.split("\\$")[4]);
    assertThat(hasher.verify(password, a)).isTrue();
    assertThat(hasher.verify(password, b)).isTrue();
  }

  @Test
  void theStringIsPhcArgon2idWithItsParametersWhichAreReadBack() {
    String hash = hasher.hash(password);

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=3,p=1$");
    assertThat(PasswordHasher.paramsOf(hash)).isEqualTo(PasswordHasher.DEFAULT);
    String[] parts = hash.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    assertThat(hasher.needsRehash(hash)).isFalse();
  }

  @Test
  void aHashMadeWithOtherParametersStillVerifiesAndAsksForARehash() {
    PasswordHasher cheap = new PasswordHasher(new PasswordHasher.Params(1024, 1, 2));
    String old = cheap.hash(password);

    assertThat(PasswordHasher.paramsOf(old)).isEqualTo(new PasswordHasher.Params(1024, 1, 2));
    assertThat(hasher.verify(password, old)).isTrue();
    assertThat(hasher.needsRehash(old)).isTrue();
  }

  @Test
  void theDefaultCostIsAtLeastOwaspsMinimumForArgon2id() {
    assertThat(PasswordHasher.DEFAULT.memoryKib()).isGreaterThanOrEqualTo(19_456);
    assertThat(PasswordHasher.DEFAULT.iterations()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aTamperedHashDoesNotVerify() {
    String hash = hasher.hash(password);
    String[] parts = hash.split("\\$");
    byte[] digest = Base64.getDecoder().decode(parts[5]);
    digest[0] ^= 1;
    parts[5] = Base64.getEncoder().withoutPadding().encodeToString(digest);
    assertThat(hasher.verify(password, String.join("$", parts))).isFalse();

    String fewerPasses = hash.replace("t=3", "t=2");
    assertThat(hasher.verify(password, fewerPasses)).isFalse();
  }

  @Test
  void aMalformedOrAbsurdHashStringIsRefusedNotComputed() {
    String hash = hasher.hash(password);
    for (String bad :
        new String[] {
          "",
          "plaintext",
          hash.replace("argon2id", "argon2i"),
          hash.replace("v=19", "v=16"),
          hash.replace("m=19456", "m=99999999"),
          hash.replace("t=3", "t=0"),
          hash.replace("p=1", "p=0"),
          hash.substring(0, hash.lastIndexOf('$')),
          hash + "$extra"
        }) {
      assertThatThrownBy(() -> hasher.verify(password, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("argon2");
    }
  }
}

package io.hepaloop.users;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.PasswordConverter;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format that carries its own parameters:
 * {@code $argon2id$v=19$m=19456,t=3,p=1$<salt>$<hash>} (unpadded Base64, 16-byte random salt,
 * 32-byte hash), so a hash made with older parameters still verifies after they are raised.
 *
 * <p>Why these parameters ({@link #DEFAULT}: 19 MiB, 3 passes, 1 lane): OWASP's minimum for
 * Argon2id is 19 MiB with 2 passes; a third pass puts one hash at ~100 ms on the 2-core build
 * machine with BouncyCastle 1.80 (measured 2026-12: 49 ms with t=2, 108 ms with t=3, 191 ms with 32
 * MiB and t=3; this class, median of 10 verifies: 98 ms, and 260-1100 ms while the machine ran
 * three builds at once), slow for a guesser and still quick for one login. Memory, not passes, is
 * what costs a GPU; 19 MiB keeps ten parallel logins under 200 MiB.
 *
 * <p>Verification compares in constant time ({@link MessageDigest#isEqual}). A hash string that is
 * not well formed, or asks for absurd parameters (a tampered row could ask for terabytes), is
 * refused with {@link IllegalArgumentException} rather than computed.
 */
public final class PasswordHasher {
  /** The cost of one hash: memory in KiB, passes over it, lanes. */
  public record Params(int memoryKib, int iterations, int parallelism) {
    public Params {
      if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
        throw new IllegalArgumentException(
            "argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
      }
      if (iterations < 1 || iterations > MAX_ITERATIONS) {
        throw new IllegalArgumentException(
            "argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
      }
      if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
        throw new IllegalArgumentException(
            "argon2 memory must be "
                + 8 * parallelism
                + ".."
                + MAX_MEMORY_KIB
                + " KiB, was "
                + memoryKib);
      }
    }
  }

  /** ~100 ms per hash here; see the class comment. */
  public static final Params DEFAULT = new Params(19_456, 3, 1);

  static final int MAX_MEMORY_KIB = 1 << 20;
  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=([0-9]{1,8}),t=([0-9]{1,3}),p=([0-9]{1,3})"
              + "\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");

  private final Params params;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher() {
    this(DEFAULT);
  }

  /** A hasher with other costs; tests use cheap ones to stay fast. */
  public PasswordHasher(Params params) {
    this.params = params;
  }

  public Params params() {
    return params;
  }

  /** A new PHC string for {@code password} with a fresh random salt. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = argon2(password, salt, params, HASH_BYTES);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m="
        + params.memoryKib()
        + ",t="
        + params.iterations()
        + ",p="
        + params.parallelism()
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /**
   * True when {@code password} is the one {@code encoded} was made from, with the parameters and
   * salt {@code encoded} carries.
   *
   * @throws IllegalArgumentException when {@code encoded} is not a well-formed Argon2id string
   */
  public boolean verify(char[] password, String encoded) {
    Parsed p = parse(encoded);
    byte[] actual = argon2(password, p.salt, p.params, p.hash.length);
    return MessageDigest.isEqual(actual, p.hash);
  }

  /** The parameters {@code encoded} was made with. */
  public static Params paramsOf(String encoded) {
    return parse(encoded).params;
  }

  /** True when {@code encoded} was made with other parameters than this hasher's. */
  public boolean needsRehash(String encoded) {
    return !paramsOf(encoded).equals(params);
  }

  private record Parsed(Params params, byte[] salt, byte[] hash) {}

  private static Parsed parse(String encoded) {
    Matcher m = PHC.matcher(encoded == null ? "" : encoded);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an Argon2id hash string of the form $argon2id$v=19$m=..,t=..,p=..$salt$hash");
    }
    Params params =
        new Params(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt;
    byte[] hash;
    try {
      salt = b64.decode(m.group(4));
      hash = b64.decode(m.group(5));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Argon2id hash string: bad Base64: " + e.getMessage());
    }
    if (salt.length < 8 || hash.length < 16) {
      throw new IllegalArgumentException(
          "Argon2id hash string: salt of " + salt.length + " or hash of " + hash.length + " bytes");
    }
    return new Parsed(params, salt, hash);
  }

  private static byte[] argon2(char[] password, byte[] salt, Params params, int length) {
    Argon2Parameters p =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(params.memoryKib())
            .withIterations(params.iterations())
            .withParallelism(params.parallelism())
            .withSalt(salt)
            .withCharToByteConverter(PasswordConverter.UTF8)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(p);
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }
}

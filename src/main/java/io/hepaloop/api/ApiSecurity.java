package io.hepaloop.api;

import io.hepaloop.audit.AuditTrail;
import io.hepaloop.time.Clock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * What the API server needs to let people in: the users, their sessions and API tokens (all in the
 * data directory's database), and how it is reached: HTTPS with a key store, or plain HTTP, which
 * is allowed beyond loopback only when explicitly asked for ({@link #checkBind}); and where what
 * people do is recorded: the audit trail, and whether critical actions need an electronic signature
 * ({@link AuditSignatures.Mode}).
 *
 * <p>Closing it closes the audit trail (everything queued is written, and anchored): its owner
 * closes it after the HTTP server has stopped, so no action's record is cut off, and before the
 * database.
 *
 * @param clock wall time for expiries and lockouts (the one the users, sessions and tokens use)
 * @param tls the HTTPS key store, or null for plain HTTP
 * @param insecureHttp plain HTTP on a non-loopback address was explicitly asked for
 * @param audit the trail human actions are recorded in; null records nothing
 * @param esign whether critical actions need an electronic signature
 */
public record ApiSecurity(
    Users users,
    Sessions sessions,
    ApiTokens tokens,
    Clock clock,
    Tls tls,
    boolean insecureHttp,
    AuditTrail audit,
    AuditSignatures.Mode esign)
    implements AutoCloseable {

  public ApiSecurity {
    if (esign == null) {
      throw new IllegalArgumentException("e-signature mode is missing (strict or research)");
    }
  }

  /** Without an audit trail, signatures optional (tests of access alone). */
  public ApiSecurity(
      Users users,
      Sessions sessions,
      ApiTokens tokens,
      Clock clock,
      Tls tls,
      boolean insecureHttp) {
    this(users, sessions, tokens, clock, tls, insecureHttp, null, AuditSignatures.Mode.RESEARCH);
  }

  /** Writes the audit records still queued and closes the trail; blocks, not on an event loop. */
  @Override
  public void close() {
    if (audit != null) {
      audit.close();
    }
  }

  /**
   * A PKCS#12 key store with the server's key and certificate chain.
   *
   * @param password the key store's password (from a file or environment variable, never an
   *     argument)
   */
  public record Tls(Path keyStore, String password) {
    /**
     * Opens the key store once, so a wrong path or password stops the start with a message naming
     * the file, not a stack trace from the server's first handshake.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public Tls checked() {
      if (!Files.isReadable(keyStore)) {
        throw new IllegalArgumentException("TLS key store " + keyStore + ": not a readable file");
      }
      try (InputStream in = Files.newInputStream(keyStore)) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(in, password.toCharArray());
        boolean hasKey = false;
        for (String alias : java.util.Collections.list(ks.aliases())) {
          hasKey |= ks.isKeyEntry(alias);
        }
        if (!hasKey) {
          throw new IllegalArgumentException(
              "TLS key store " + keyStore + ": holds no private key (only certificates)");
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "TLS key store "
                + keyStore
                + ": cannot open it as PKCS#12 with the password given (wrong password or"
                + " format?): "
                + e.getMessage());
      }
      return this;
    }

    @Override
    public String toString() {
      return "Tls[" + keyStore + "]";
    }
  }

  /**
   * Refuses plain HTTP on an address other machines can reach, unless {@code insecureHttp}:
   * passwords, session cookies and tokens would cross the network readable by anyone on it.
   * Resolves {@code host}, so call it off the event loop (the command line does, at start).
   *
   * @throws IllegalArgumentException saying what to do instead
   */
  public static void checkBind(String host, Tls tls, boolean insecureHttp) {
    if (tls != null || insecureHttp) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("HTTP host '" + host + "' does not resolve");
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "refusing to serve plain HTTP on "
              + host
              + ", which is not a loopback address: passwords, session cookies and API tokens"
              + " would cross the network in clear text. Give a key store for HTTPS"
              + " (--tls-keystore FILE with --tls-keystore-password-file or"
              + " --tls-keystore-password-env), bind to 127.0.0.1, or, on a network you trust,"
              + " pass --insecure-http");
    }
  }
}

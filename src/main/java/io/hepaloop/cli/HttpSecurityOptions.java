package io.hepaloop.cli;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * How {@code demo} and {@code serve} expose the API (a picocli {@code @Mixin}): HTTPS with a
 * PKCS#12 key store whose password comes from a file or an environment variable (never an argument,
 * which {@code ps} shows), or plain HTTP, allowed beyond loopback only with {@code
 * --insecure-http}.
 */
final class HttpSecurityOptions {
  /** The environment; tests put their own. */
  static UnaryOperator<String> environment = System::getenv;

  /** The file in the data directory that holds the first admin's initial password. */
  static final String INITIAL_PASSWORD_FILE = "initial-admin-password";

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "Serve HTTPS with this PKCS#12 key store (server key and certificate chain).")
  Path keyStore;

  @Option(
      names = "--tls-keystore-password-file",
      paramLabel = "FILE",
      description = "File whose first line is the key store's password.")
  Path passwordFile;

  @Option(
      names = "--tls-keystore-password-env",
      paramLabel = "VAR",
      description = "Environment variable that holds the key store's password.")
  String passwordEnv;

  @Option(
      names = "--insecure-http",
      description =
          "Allow plain HTTP on a non-loopback address (passwords and tokens in clear text; only on"
              + " a network you trust).")
  boolean insecureHttp;

  /**
   * The key store, checked (readable, password right, holds a key), or null for plain HTTP.
   *
   * @throws IllegalArgumentException naming what is missing or wrong
   */
  ApiSecurity.Tls tls() throws IOException {
    if (keyStore == null) {
      if (passwordFile != null || passwordEnv != null) {
        throw new IllegalArgumentException(
            "a key store password was given but no --tls-keystore FILE");
      }
      return null;
    }
    if ((passwordFile == null) == (passwordEnv == null)) {
      throw new IllegalArgumentException(
          "--tls-keystore needs its password from exactly one of --tls-keystore-password-file"
              + " FILE or --tls-keystore-password-env VAR");
    }
    String password;
    if (passwordFile != null) {
      if (!Files.isReadable(passwordFile)) {
        throw new IllegalArgumentException(
            "--tls-keystore-password-file " + passwordFile + ": not a readable file");
      }
      String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      password = (nl < 0 ? text : text.substring(0, nl)).stripTrailing();
    } else {
      password = environment.apply(passwordEnv);
      if (password == null) {
        throw new IllegalArgumentException(
            "environment variable " + passwordEnv + " (--tls-keystore-password-env) is not set");
      }
    }
    return new ApiSecurity.Tls(keyStore.toAbsolutePath(), password).checked();
  }

  /**
   * The API's security over the data directory's database: users, sessions, tokens, and the audit
   * trail, opened here. Closing it closes the trail: close it after the plant (its HTTP server) and
   * before the database.
   */
  ApiSecurity security(Store store, Clock clock, ApiSecurity.Tls tls, AuditSignatures.Mode esign) {
    AuditTrail audit = AuditTrail.open(store, clock);
    return new ApiSecurity(
        new Users(store, clock),
        new Sessions(store, clock, Sessions.Policy.DEFAULT),
        new ApiTokens(store, clock),
        clock,
        tls,
        insecureHttp,
        audit,
        esign);
  }

  /** {@code https} or {@code http}. */
  static String scheme(ApiSecurity.Tls tls) {
    return tls == null ? "http" : "https";
  }

  /**
   * On the first start of a data directory, creates the admin, prints the initial password once and
   * writes it to {@value #INITIAL_PASSWORD_FILE} (owner-only) in the data directory; once the admin
   * has changed it, deletes that file, which would only mislead.
   */
  static void firstAdmin(ApiSecurity security, Path data, PrintStream out) throws IOException {
    Path file = data.resolve(INITIAL_PASSWORD_FILE);
    var created = security.users().ensureFirstAdmin();
    if (created.isPresent()) {
      writeOwnerOnly(file, created.get() + "\n");
      out.println(
          "first start: created user 'admin' with the initial password  "
              + created.get()
              + "  (also in "
              + file
              + ", readable by you only); log in and change it first");
    } else if (Files.exists(file)
        && security.users().find("admin").map(u -> !u.mustChangePassword()).orElse(true)) {
      Files.delete(file);
    }
  }

  /**
   * How to log in to the console, for the start banner: with the first admin's initial password
   * while it is unchanged (its file exists), else with one's own user.
   */
  static String firstLogin(Path data) {
    Path file = data.resolve(INITIAL_PASSWORD_FILE);
    return Files.exists(file)
        ? "first login: user 'admin', the initial password in " + file + ", then a new password"
        : "log in with your user name and password";
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}

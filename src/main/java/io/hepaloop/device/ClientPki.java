package io.hepaloop.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device link's OPC UA identity and trust, kept under one PKI directory and shared by every
 * link of the process that names the same directory:
 *
 * <pre>
 *   pkiDir/own/hepaloop-device-link.p12   client RSA key pair + self-signed certificate (PKCS#12)
 *   pkiDir/trusted/certs, trusted/crl     server certificates the operator trusts
 *   pkiDir/issuer/certs, issuer/crl       CA certificates
 *   pkiDir/rejected/                      server certificates that were refused (move to trusted/certs to trust)
 * </pre>
 *
 * <p>Why a key store: generating the 2048-bit RSA key costs ~3.5 s of CPU on this class of machine;
 * generating it once and loading it afterwards keeps link start-up (and 64 links' start-up) fast.
 * The key store password only guards against accidental use; the file's permissions protect the
 * key.
 *
 * <p>All methods do file I/O: call them from a worker thread, never from an event loop.
 */
public final class ClientPki {
  /** Must equal the URI in the certificate's SubjectAltName (OPC UA Part 6, 6.2.2). */
  public static final String APPLICATION_URI = "urn:hepaloop:device-link";

  private static final Logger LOG = LoggerFactory.getLogger(ClientPki.class);
  private static final String KEY_STORE_FILE = "hepaloop-device-link.p12";
  private static final String ALIAS = "device-link";
  private static final char[] STORE_PASSWORD = "hepaloop".toCharArray();
  private static final Map<Path, ClientPki> BY_DIR = new ConcurrentHashMap<>();

  private final Path dir;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private volatile CertificateValidator trustListValidator;

  private ClientPki(Path dir, KeyPair keyPair, X509Certificate certificate) {
    this.dir = dir;
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /** The PKI of {@code pkiDir}, loaded (or created) once per process. */
  public static ClientPki forDir(Path pkiDir) {
    Path key = pkiDir.toAbsolutePath().normalize();
    return BY_DIR.computeIfAbsent(key, ClientPki::loadOrCreate);
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Where the client's key store lives. */
  public Path keyStoreFile() {
    return dir.resolve("own").resolve(KEY_STORE_FILE);
  }

  /**
   * Validator backed by the trust list of this directory (created on first use; watches the
   * directory).
   */
  public synchronized CertificateValidator trustListValidator() {
    if (trustListValidator == null) {
      try {
        FileBasedTrustListManager trust = FileBasedTrustListManager.createAndInitialize(dir);
        FileBasedCertificateQuarantine rejected =
            FileBasedCertificateQuarantine.create(dir.resolve("rejected"));
        trustListValidator = new DefaultClientCertificateValidator(trust, rejected);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the trust list under " + dir, e);
      }
    }
    return trustListValidator;
  }

  /** Where an operator puts a server certificate to trust it. */
  public Path trustedCertsDir() {
    return dir.resolve("trusted").resolve("certs");
  }

  private static ClientPki loadOrCreate(Path dir) {
    Path file = dir.resolve("own").resolve(KEY_STORE_FILE);
    try {
      if (Files.exists(file)) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
          ks.load(in, STORE_PASSWORD);
        }
        Key key = ks.getKey(ALIAS, STORE_PASSWORD);
        Certificate cert = ks.getCertificate(ALIAS);
        if (key instanceof PrivateKey pk && cert instanceof X509Certificate x509) {
          return new ClientPki(dir, new KeyPair(x509.getPublicKey(), pk), x509);
        }
        throw new IllegalStateException(file + " has no '" + ALIAS + "' key entry");
      }
      long t0 = System.nanoTime();
      KeyPair kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      X509Certificate cert =
          new SelfSignedCertificateBuilder(kp)
              .setCommonName("HepaLoop device link")
              .setOrganization("HepaLoop")
              .setApplicationUri(APPLICATION_URI)
              .addDnsName(hostname())
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1")
              .build();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, STORE_PASSWORD);
      ks.setKeyEntry(ALIAS, kp.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert});
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), KEY_STORE_FILE, ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ks.store(out, STORE_PASSWORD);
      }
      // Atomic: two processes starting at once never read a half-written key store.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info(
          "generated the device link's key pair in {} ms, stored in {}",
          (System.nanoTime() - t0) / 1_000_000,
          file);
      return new ClientPki(dir, kp, cert);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot load or create the device link's key store " + file + ": " + e.getMessage(), e);
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}

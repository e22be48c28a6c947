package io.hepaloop.sim;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's PKI directory, shared by all its servers:
 *
 * <pre>
 *   pki/own/simulator.pfx      server key + self-signed certificate, generated once (RSA 2048,
 *                              SAN URI = the application URI, SAN DNS/IP = localhost, 127.0.0.1, host)
 *   pki/own/simulator.der      the certificate alone, to give to clients that want to trust it
 *   pki/trusted/certs          client certificates accepted on secure endpoints
 *   pki/rejected/certs         client certificates refused (move one to trusted/certs to accept it)
 *   pki/issuer/...             CA certificates and CRLs
 * </pre>
 *
 * Generating an RSA key takes seconds on a small machine, so the key store is reused across runs; a
 * file lock keeps two JVMs that share the directory from generating it twice. The key store
 * password is fixed: it protects a simulator's throw-away key, not a secret.
 */
final class ServerPki implements Closeable {
  static final String APPLICATION_URI = "urn:hepaloop:simulator";
  private static final Logger LOG = LoggerFactory.getLogger(ServerPki.class);
  private static final char[] STORE_PASSWORD = "hepaloop-simulator".toCharArray();

  private static final CertificateQuarantine NO_QUARANTINE =
      new CertificateQuarantine() {
        @Override
        public List<X509Certificate> getRejectedCertificates() {
          return List.of();
        }

        @Override
        public void addRejectedCertificate(X509Certificate certificate) {}

        @Override
        public void removeRejectedCertificate(X509Certificate certificate) {}
      };

  private final FileBasedTrustListManager trustList;
  private final CertificateManager certificateManager;
  private final X509Certificate certificate;
  private final KeyStoreCertificateStore store;

  ServerPki(Path pkiDir, boolean trustAllClients) throws Exception {
    Path own = pkiDir.resolve("own");
    Files.createDirectories(own);
    trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
    FileBasedCertificateQuarantine quarantine =
        FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected").resolve("certs"));
    // trusting all clients, a first-time certificate must not also be recorded as rejected
    CertificateValidator validator =
        trustAllClients
            ? new TrustOnFirstUse(
                new DefaultServerCertificateValidator(trustList, NO_QUARANTINE), trustList)
            : new DefaultServerCertificateValidator(trustList, quarantine);

    try (FileChannel ch =
            FileChannel.open(
                own.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      store =
          KeyStoreCertificateStore.createAndInitialize(
              new KeyStoreCertificateStore.Settings(
                  own.resolve("simulator.pfx"), () -> STORE_PASSWORD, alias -> STORE_PASSWORD));
      DefaultApplicationGroup group =
          DefaultApplicationGroup.createAndInitialize(
              trustList, store, new CertFactory(), validator);
      certificate =
          group.getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType)
              .orElseThrow(() -> new IllegalStateException("no server certificate in " + own))[0];
      String sanUri = CertificateUtil.getSanUri(certificate).orElse(null);
      if (!APPLICATION_URI.equals(sanUri)) {
        throw new IllegalStateException(
            "server certificate in "
                + own
                + " has SAN URI "
                + sanUri
                + ", expected "
                + APPLICATION_URI
                + "; delete "
                + own.resolve("simulator.pfx")
                + " to regenerate it");
      }
      Path der = own.resolve("simulator.der");
      if (!Files.exists(der)) {
        Files.write(der, certificate.getEncoded());
      }
      certificateManager = new DefaultCertificateManager(quarantine, group);
    }
    LOG.info(
        "simulator PKI in {} (trust all clients: {})", pkiDir.toAbsolutePath(), trustAllClients);
  }

  X509Certificate certificate() {
    return certificate;
  }

  CertificateManager certificateManager() {
    return certificateManager;
  }

  @Override
  public void close() throws IOException {
    trustList.close();
    store.close();
  }

  private static final class CertFactory extends RsaSha256CertificateFactory {
    @Override
    protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
      LOG.info("generating the simulator's server certificate (once per PKI directory)");
      SelfSignedCertificateBuilder b =
          new SelfSignedCertificateBuilder(keyPair)
              .setCommonName("HepaLoop Simulator")
              .setOrganization("HepaLoop")
              .setApplicationUri(APPLICATION_URI)
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1");
      try {
        String host = InetAddress.getLocalHost().getHostName();
        if (!host.equals("localhost")) {
          b.addDnsName(host);
        }
      } catch (IOException ignored) {
        // no resolvable host name: localhost and 127.0.0.1 are enough on loopback
      }
      return new X509Certificate[] {b.build()};
    }
  }

  /**
   * Accepts a client certificate the strict validator refuses and adds it to the trusted list, so
   * it is visible in {@code pki/trusted/certs}. For a simulator on loopback only.
   */
  private static final class TrustOnFirstUse implements CertificateValidator {
    private final CertificateValidator strict;
    private final FileBasedTrustListManager trustList;

    TrustOnFirstUse(CertificateValidator strict, FileBasedTrustListManager trustList) {
      this.strict = strict;
      this.trustList = trustList;
    }

    @Override
    public void validateCertificateChain(
        List<X509Certificate> chain, String applicationUri, String[] validHostNames)
        throws UaException {
      try {
        strict.validateCertificateChain(chain, applicationUri, validHostNames);
      } catch (UaException e) {
        if (chain.isEmpty()) {
          throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "no client certificate");
        }
        LOG.info(
            "trusting client certificate {} (trustAllClients)",
            chain.get(0).getSubjectX500Principal());
        trustList.addTrustedCertificate(chain.get(0));
      }
    }
  }
}

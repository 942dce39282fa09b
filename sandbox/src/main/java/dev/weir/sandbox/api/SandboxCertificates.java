package dev.weir.sandbox.api;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and the serving certificate it signs for {@code 127.0.0.1},
 * {@code ::1} and {@code localhost}, made with BouncyCastle at server start (EC P-256, valid one
 * year from the clock's now). The CA certificate goes into the kubeconfig's {@code
 * certificate-authority-data}, so clients keep TLS verification on. The CA's key never leaves
 * memory.
 *
 * <p>The same CA is the client CA, as with kubeadm's {@code --client-ca-file}: {@link
 * #issueClientCertificate} signs client certificates (subject CN = user, O = groups, extended key
 * usage clientAuth) whose key is handed to the caller once. TLS asks every client for a
 * certificate without requiring one and without naming acceptable CAs, and accepts any at the
 * handshake; {@link #verifyClient} then decides, as kube-apiserver's x509 authenticator does, so
 * that a certificate of an unknown CA is a 401, not a failed handshake.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class SandboxCertificates {
  private final X509Certificate caCertificate;
  private final KeyPair caKeys;
  private final SSLContext sslContext;

  private SandboxCertificates(
      X509Certificate caCertificate, KeyPair caKeys, SSLContext sslContext) {
    this.caCertificate = caCertificate;
    this.caKeys = caKeys;
    this.sslContext = sslContext;
  }

  static SandboxCertificates generate(Instant now) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
      Date notAfter = Date.from(now.plus(Duration.ofDays(365)));
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

      X500Name caName = new X500Name("CN=weir-sandbox-ca");
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
              caName, serial(), notBefore, notAfter, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCertificate = convert(ca, caKeys);

      X509v3CertificateBuilder server =
          new JcaX509v3CertificateBuilder(
              caName,
              serial(),
              notBefore,
              notAfter,
              new X500Name("CN=weir-sandbox-apiserver"),
              serverKeys.getPublic());
      server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      server.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      server.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      server.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      server.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate serverCertificate = convert(server, caKeys);

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      char[] password = new char[0];
      keyStore.setKeyEntry(
          "server",
          serverKeys.getPrivate(),
          password,
          new X509Certificate[] {serverCertificate, caCertificate});
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers.getKeyManagers(),
          new TrustManager[] {new AnyClientCertificate()},
          new SecureRandom());
      return new SandboxCertificates(caCertificate, caKeys, context);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(
          "could not create the sandbox's TLS certificates: " + e.getMessage(), e);
    }
  }

  SSLContext sslContext() {
    return sslContext;
  }

  X509Certificate caCertificate() {
    return caCertificate;
  }

  /** The CA certificate in PEM. */
  String caPem() {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(caCertificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * A client certificate for {@code user} in {@code groups}, signed by the CA, valid from an hour
   * before {@code now} for {@code validity}.
   */
  SandboxApiServer.ClientCertificate issueClientCertificate(
      String user, List<String> groups, Instant now, Duration validity) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
      for (String group : groups) {
        subject.addRDN(BCStyle.O, group);
      }
      subject.addRDN(BCStyle.CN, user);
      X509v3CertificateBuilder client =
          new JcaX509v3CertificateBuilder(
              X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(validity)),
              subject.build(),
              keys.getPublic());
      client.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      client.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      client.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      client.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
      X509Certificate certificate = convert(client, caKeys);
      // PKCS#8 ("PRIVATE KEY"): a SEC1 key without its public half is refused by client-java
      return new SandboxApiServer.ClientCertificate(
          pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(
          "could not issue a client certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Who a client certificate chain authenticates, checked as kube-apiserver does: signed by the
   * client CA, valid at {@code now}, with extended key usage clientAuth. Empty when it is not.
   *
   * @return the subject's CN and its O values (the groups)
   */
  Optional<Identity> verifyClient(Certificate[] chain, Instant now) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      PKIXParameters parameters =
          new PKIXParameters(Set.of(new TrustAnchor(caCertificate, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX")
          .validate(factory.generateCertPath(List.of(leaf)), parameters);
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null
          && !usages.contains(KeyPurposeId.id_kp_clientAuth.getId())
          && !usages.contains(KeyPurposeId.anyExtendedKeyUsage.getId())) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException e) {
      return Optional.empty(); // unknown CA, expired, tampered: not authenticated
    }
    X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
    String user = "";
    List<String> groups = new ArrayList<>();
    for (RDN rdn : subject.getRDNs()) {
      for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
        if (value.getType().equals(BCStyle.CN)) {
          user = IETFUtils.valueToString(value.getValue());
        } else if (value.getType().equals(BCStyle.O)) {
          groups.add(IETFUtils.valueToString(value.getValue()));
        }
      }
    }
    return user.isEmpty() ? Optional.empty() : Optional.of(new Identity(user, groups));
  }

  /** A user and their groups, from a client certificate. */
  record Identity(String user, List<String> groups) {}

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /**
   * Accepts every client certificate at the handshake and names no acceptable CA, so that clients
   * present what they have; {@link #verifyClient} judges it per request. Never used for servers.
   */
  private static final class AnyClientCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the sandbox never verifies servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the sandbox never verifies servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the sandbox never verifies servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static X509Certificate convert(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner =
        new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
  }
}

package dev.weir.engine.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * A real OpenPGP signing key made in the test with Bouncy Castle (RSA 2048, SHA-256 signatures):
 * signs commits for {@link RepoBuilder.Commit#signedBy} and exports its public key as an armored
 * keyring, readable by Weir's verifier and by {@code gpg --import}.
 */
public final class TestPgpKey {
  private final String userId;
  private final PGPPublicKeyRing publicRing;
  private final PGPPrivateKey privateKey;

  private TestPgpKey(String userId, PGPPublicKeyRing publicRing, PGPPrivateKey privateKey) {
    this.userId = userId;
    this.publicRing = publicRing;
    this.privateKey = privateKey;
  }

  /** A new key for {@code userId}, e.g. {@code "Ann Example <ann@example.com>"}. */
  public static TestPgpKey generate(String userId) {
    try {
      RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
      rsa.init(
          new RSAKeyGenerationParameters(
              BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
      BcPGPKeyPair pair =
          new BcPGPKeyPair(
              PublicKeyPacket.VERSION_4,
              PGPPublicKey.RSA_GENERAL,
              rsa.generateKeyPair(),
              new Date(System.currentTimeMillis() - 60_000));
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
      PGPKeyRingGenerator rings =
          new PGPKeyRingGenerator(
              PGPSignature.POSITIVE_CERTIFICATION,
              pair,
              userId,
              new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
              hashed.generate(),
              null,
              new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
              null);
      return new TestPgpKey(userId, rings.generatePublicKeyRing(), pair.getPrivateKey());
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An armored detached signature over {@code data}, as git puts it in {@code gpgsig}. */
  public byte[] sign(byte[] data) {
    try {
      PGPPublicKey key = publicRing.getPublicKey();
      PGPSignatureGenerator generator =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
              key);
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setIssuerFingerprint(false, key);
      hashed.setSignatureCreationTime(false, new Date());
      generator.setHashedSubpackets(hashed.generate());
      generator.update(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armored = new ArmoredOutputStream(out);
          BCPGOutputStream packets = new BCPGOutputStream(armored)) {
        generator.generate().encode(packets);
      }
      return out.toByteArray();
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the public key as an armored keyring file. */
  public Path writePublicKeyring(Path file) {
    try (OutputStream out = Files.newOutputStream(file);
        ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
      publicRing.encode(armored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The 16-hex-digit key id, upper case. */
  public String keyId() {
    return String.format(Locale.ROOT, "%016X", publicRing.getPublicKey().getKeyID());
  }

  public String userId() {
    return userId;
  }
}

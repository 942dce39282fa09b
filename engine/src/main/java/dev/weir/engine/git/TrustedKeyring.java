package dev.weir.engine.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Commit signature verification against an explicit keyring of trusted OpenPGP public keys: a
 * commit is accepted only when its {@code gpgsig} is a valid OpenPGP signature, over the commit, by
 * a key in the keyring that is not revoked. Unlike JGit's verifier, trust does not depend on the
 * user's GnuPG home or trust database: the keyring file is the whole policy.
 *
 * <p>Immutable and thread-safe.
 */
final class TrustedKeyring {
  private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);

  private final PGPPublicKeyRingCollection keys;
  private final Path source;

  private TrustedKeyring(PGPPublicKeyRingCollection keys, Path source) {
    this.keys = keys;
    this.source = source;
  }

  /** Reads an armored or binary public keyring. */
  static TrustedKeyring load(Path file) {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
      return new TrustedKeyring(
          new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()), file);
    } catch (IOException | PGPException e) {
      throw new GitException(
          GitError.Reason.LOCAL_IO,
          "cannot read the trusted keyring " + file + ": " + e.getMessage());
    }
  }

  /** Null if {@code commit} is signed by a trusted key, else why not (naming commit and signer). */
  GitError check(RevCommit commit) {
    String name = commit.abbreviate(7).name();
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      return reject("commit " + name + " (" + author(commit) + ") is not signed");
    }
    PGPSignature pgp = parseSignature(signature);
    if (pgp == null) {
      return reject(
          "commit " + name + " (" + author(commit) + ") has a signature that is not OpenPGP");
    }
    String keyId = String.format(Locale.ROOT, "%016X", pgp.getKeyID());
    PGPPublicKey key = keys.getPublicKey(pgp.getKeyID());
    if (key == null) {
      return reject(
          "commit "
              + name
              + " ("
              + author(commit)
              + ") is signed by key "
              + keyId
              + ", which is not in the trusted keyring "
              + source.getFileName());
    }
    String signer = signerOf(key) + " (key " + keyId + ")";
    if (key.hasRevocation()) {
      return reject("commit " + name + " is signed by " + signer + ", whose key is revoked");
    }
    try {
      pgp.init(new BcPGPContentVerifierBuilderProvider(), key);
      pgp.update(signedData(commit.getRawBuffer()));
      if (!pgp.verify()) {
        return reject(
            "commit "
                + name
                + " has a BAD signature claiming to be by "
                + signer
                + ": it was altered after signing");
      }
    } catch (PGPException e) {
      return reject(
          "commit " + name + ": cannot verify the signature by " + signer + ": " + e.getMessage());
    }
    return null;
  }

  private static GitError reject(String message) {
    return new GitError(GitError.Reason.SIGNATURE_REJECTED, message);
  }

  private static String author(RevCommit commit) {
    return "author "
        + commit.getAuthorIdent().getName()
        + " <"
        + commit.getAuthorIdent().getEmailAddress()
        + ">";
  }

  private String signerOf(PGPPublicKey key) {
    PGPPublicKeyRing ring = keys.getPublicKeyRing(key.getKeyID());
    PGPPublicKey primary = ring == null ? key : ring.getPublicKey();
    Iterator<String> ids = primary.getUserIDs();
    return ids.hasNext() ? ids.next() : "an unnamed key";
  }

  private static PGPSignature parseSignature(byte[] armored) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new BcPGPObjectFactory(in).nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The commit as it was signed: its raw bytes without the {@code gpgsig} header. */
  static byte[] signedData(byte[] raw) {
    int valueStart = RawParseUtils.headerStart(GPGSIG, raw, 0);
    if (valueStart < 0) {
      return raw;
    }
    int lineStart = valueStart - GPGSIG.length - 1;
    int lineEnd = RawParseUtils.nextLfSkippingSplitLines(raw, valueStart);
    if (lineEnd < raw.length) {
      lineEnd++; // past the header's own line feed
    }
    byte[] data = new byte[raw.length - (lineEnd - lineStart)];
    System.arraycopy(raw, 0, data, 0, lineStart);
    System.arraycopy(raw, lineEnd, data, lineStart, raw.length - lineEnd);
    return data;
  }
}

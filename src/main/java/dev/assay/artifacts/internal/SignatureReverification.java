package dev.assay.artifacts.internal;

import static dev.assay.artifacts.internal.db.Tables.ARTIFACT;
import static dev.assay.artifacts.internal.db.Tables.SIGNATURE;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.db.tables.records.SignatureRecord;
import dev.assay.artifacts.internal.parse.CosignSignature;
import dev.assay.artifacts.internal.parse.SigstoreBundle;
import dev.assay.artifacts.internal.verify.ExpectedIdentity;
import dev.assay.artifacts.internal.verify.SignatureVerifier;
import dev.assay.artifacts.internal.verify.TrustedKey;
import dev.assay.artifacts.internal.verify.Verification;
import dev.assay.common.UntrustedJson;

/**
 * Verifies every stored signature again when the trusted keys or keyless identities change, from the exact bytes kept for
 * that purpose, so signed coverage follows the keys: a key removed un-verifies what only it verified,
 * a key added verifies what was waiting for it. Runs in the transaction of the change.
 */
@Component
class SignatureReverification {

    private static final Logger log = LoggerFactory.getLogger(SignatureReverification.class);

    private final DSLContext db;
    private final TrustedKeys trustedKeys;
    private final ArtifactStore artifacts;
    private final EvidenceStore evidence;
    private final UntrustedJson json;
    private final SignatureVerifier verifier;

    SignatureReverification(DSLContext db, TrustedKeys trustedKeys, ArtifactStore artifacts, EvidenceStore evidence,
            UntrustedJson json, SigstoreTrust sigstore) {
        this.db = db;
        this.trustedKeys = trustedKeys;
        this.artifacts = artifacts;
        this.evidence = evidence;
        this.json = json;
        this.verifier = sigstore.verifier();
    }

    @EventListener
    @Transactional
    public void keysChanged(TrustedKeys.TrustedKeysChanged change) {
        int changed = 0;
        for (SignatureRecord signature : db.selectFrom(SIGNATURE).orderBy(SIGNATURE.ID).fetch()) {
            String digest = db.select(ARTIFACT.DIGEST).from(ARTIFACT).where(ARTIFACT.ID.eq(signature.getArtifactId()))
                    .fetchOne(ARTIFACT.DIGEST);
            List<String> repositories = artifacts.repositoriesOf(signature.getArtifactId());
            List<TrustedKey> keys = trustedKeys.forArtifact(repositories, signature.getSourceId());
            Verification verification = verify(signature, digest, keys, trustedKeys.identitiesForArtifact(repositories));
            if (evidence.updateVerification(signature, verification)) {
                signature.store();
                changed++;
            }
        }
        log.info("Trusted keys changed by {}: {} signature(s) verified differently now", change.actor(), changed);
    }

    private Verification verify(SignatureRecord signature, String digest, List<TrustedKey> keys, List<ExpectedIdentity> identities) {
        byte[] signed = Base64.getDecoder().decode(signature.getPayloadBase64());
        if ("sigstore-bundle".equals(signature.getFormat())) {
            return verifier.verifyBundle(digest, SigstoreBundle.parse(json.readTree(new String(signed, StandardCharsets.UTF_8))), keys,
                    identities);
        }
        CosignSignature cosign = new CosignSignature(signed, signature.getSignatureBase64(), signature.getCertificatePem(), null,
                signature.getRekorBundle());
        return verifier.verifyCosign(digest, cosign, keys, signature.getKeyHint(), identities);
    }
}

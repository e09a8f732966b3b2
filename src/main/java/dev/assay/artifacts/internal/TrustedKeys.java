package dev.assay.artifacts.internal;

import static dev.assay.artifacts.internal.db.Tables.TRUSTED_KEY;
import static dev.assay.artifacts.internal.db.Tables.TRUSTED_KEYLESS_IDENTITY;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.artifacts.internal.verify.ExpectedIdentity;
import dev.assay.artifacts.internal.verify.PublicKeys;
import dev.assay.artifacts.internal.verify.TrustedKey;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.Sources;
import dev.assay.common.AuditEvent;

/**
 * The public keys trusted to sign artifacts. A signature counts as verified only with a key trusted
 * for the artifact (DESIGN §5): one configured for the organisation, for the team owning a service
 * the artifact belongs to, for that service, or named by the {@code trusted-keys} option of the
 * source that collects the artifact's repository. Keyless (Sigstore) signatures are trusted the same
 * way through expected signer identities: those of {@code assay.artifacts.sigstore.identities} for
 * the organisation, and those added here for the organisation, a team or a service.
 */
@Service
public class TrustedKeys {

    public static final String ORGANISATION = "organisation";
    public static final String TEAM = "team";
    public static final String SERVICE = "service";
    private static final Set<String> SCOPES = Set.of(ORGANISATION, TEAM, SERVICE);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:@/()-]{1,200}");
    private static final Logger log = LoggerFactory.getLogger(TrustedKeys.class);

    private final DSLContext db;
    private final Clock clock;
    private final Sources sources;
    private final Catalog catalog;
    private final ResourceLoader resources;
    private final ApplicationEventPublisher events;
    private final ArtifactSettings settings;

    TrustedKeys(DSLContext db, Clock clock, Sources sources, Catalog catalog, ResourceLoader resources,
            ApplicationEventPublisher events, ArtifactSettings settings) {
        this.settings = settings;
        this.db = db;
        this.clock = clock;
        this.sources = sources;
        this.catalog = catalog;
        this.resources = resources;
        this.events = events;
    }

    /** Published when an admin adds or removes a key or identity: stored signatures are verified again. */
    public record TrustedKeysChanged(String actor) {
    }

    /** A configured key as the admin page lists it. */
    public record KeyView(Long id, String name, String scopeType, String scopeName, String algorithm, String fingerprint,
            String origin, String problem) {
    }

    public List<KeyView> list() {
        List<KeyView> keys = new ArrayList<>(db.selectFrom(TRUSTED_KEY).orderBy(TRUSTED_KEY.SCOPE_TYPE, TRUSTED_KEY.SCOPE_NAME,
                TRUSTED_KEY.NAME).fetch(r -> new KeyView(r.getId(), r.getName(), r.getScopeType(), r.getScopeName(),
                        r.getAlgorithm(), r.getFingerprint(), "added by " + r.getCreatedBy(), null)));
        for (SourceDefinition source : sources.all()) {
            for (String path : source.listOption("trusted-keys")) {
                try {
                    PublicKey key = read(source, path);
                    keys.add(new KeyView(null, path, "source", source.id(), PublicKeys.describe(key), PublicKeys.fingerprint(key),
                            "sources file", null));
                } catch (IllegalArgumentException e) {
                    keys.add(new KeyView(null, path, "source", source.id(), null, null, "sources file", e.getMessage()));
                }
            }
        }
        return keys;
    }

    /**
     * Adds a trusted key.
     *
     * @throws IllegalArgumentException saying what is wrong (unknown scope, unknown team or service,
     *                                  not a public key, the same key already trusted there)
     */
    @Transactional
    public KeyView add(String name, String scopeType, String scopeName, String pem, String actor) {
        String cleanName = name == null ? "" : name.strip();
        if (!NAME.matcher(cleanName).matches()) {
            throw new IllegalArgumentException("The name must be 1 to 200 letters, digits, spaces or . _ : @ / ( ) -");
        }
        String scope = scope(scopeType, scopeName);
        PublicKey key = PublicKeys.parsePem(pem);
        String fingerprint = PublicKeys.fingerprint(key);
        try {
            long id = db.insertInto(TRUSTED_KEY)
                    .set(TRUSTED_KEY.NAME, cleanName)
                    .set(TRUSTED_KEY.SCOPE_TYPE, scopeType)
                    .set(TRUSTED_KEY.SCOPE_NAME, scope)
                    .set(TRUSTED_KEY.ALGORITHM, PublicKeys.describe(key))
                    .set(TRUSTED_KEY.FINGERPRINT, fingerprint)
                    .set(TRUSTED_KEY.PUBLIC_KEY_PEM, PublicKeys.toPem(key))
                    .set(TRUSTED_KEY.CREATED_BY, actor)
                    .set(TRUSTED_KEY.CREATED_AT, OffsetDateTime.now(clock))
                    .returning(TRUSTED_KEY.ID).fetchOne().getId();
            events.publishEvent(new AuditEvent(actor, "trusted-key.added", "trusted_key", String.valueOf(id), null,
                    "{\"name\":\"" + cleanName.replace("\"", "'") + "\",\"scope\":\"" + scopeType + ":" + scope
                            + "\",\"fingerprint\":\"" + fingerprint + "\"}"));
            events.publishEvent(new TrustedKeysChanged(actor));
            return new KeyView(id, cleanName, scopeType, scope, PublicKeys.describe(key), fingerprint, "added by " + actor, null);
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("This key is already trusted for " + scopeType
                    + (ORGANISATION.equals(scopeType) ? "" : " " + scope));
        }
    }

    @Transactional
    public boolean remove(long id, String actor) {
        var record = db.selectFrom(TRUSTED_KEY).where(TRUSTED_KEY.ID.eq(id)).fetchOne();
        if (record == null) {
            return false;
        }
        record.delete();
        events.publishEvent(new AuditEvent(actor, "trusted-key.removed", "trusted_key", String.valueOf(id),
                "{\"name\":\"" + record.getName().replace("\"", "'") + "\",\"scope\":\"" + record.getScopeType() + ":"
                        + record.getScopeName() + "\",\"fingerprint\":\"" + record.getFingerprint() + "\"}", null));
        events.publishEvent(new TrustedKeysChanged(actor));
        return true;
    }

    /**
     * The keys trusted for an artifact seen in these repositories, collected by this source: the
     * organisation's, those of the services whose {@code assay.dev/image-repositories} name one of the
     * repositories and of their owning teams, and the {@code trusted-keys} of registry sources that
     * collect one of the repositories (or of the source itself).
     */
    public List<TrustedKey> forArtifact(List<String> repositories, String sourceId) {
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        List<String> services = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        owners(repositories, services, teams);
        db.selectFrom(TRUSTED_KEY)
                .where(TRUSTED_KEY.SCOPE_TYPE.eq(ORGANISATION)
                        .or(TRUSTED_KEY.SCOPE_TYPE.eq(SERVICE).and(TRUSTED_KEY.SCOPE_NAME.in(services)))
                        .or(TRUSTED_KEY.SCOPE_TYPE.eq(TEAM).and(TRUSTED_KEY.SCOPE_NAME.in(teams))))
                .orderBy(TRUSTED_KEY.ID)
                .forEach(r -> {
                    try {
                        PublicKey key = PublicKeys.parsePem(r.getPublicKeyPem());
                        String scope = ORGANISATION.equals(r.getScopeType()) ? ORGANISATION : r.getScopeType() + ":" + r.getScopeName();
                        keys.putIfAbsent(r.getFingerprint(), new TrustedKey(r.getName(), scope, key, r.getFingerprint()));
                    } catch (IllegalArgumentException e) {
                        log.warn("Trusted key {} cannot be read: {}", r.getId(), e.getMessage());
                    }
                });
        for (SourceDefinition source : sources.all()) {
            boolean applies = source.id().equals(sourceId)
                    || "oci-registry".equals(source.type()) && source.baseUrl() != null
                            && OciRepositories.configured(source).stream().anyMatch(repositories::contains);
            if (!applies) {
                continue;
            }
            for (String path : source.listOption("trusted-keys")) {
                try {
                    PublicKey key = read(source, path);
                    keys.putIfAbsent(PublicKeys.fingerprint(key), TrustedKey.of(path, "source:" + source.id(), key));
                } catch (IllegalArgumentException e) {
                    log.warn("Source {}: trusted key {} cannot be used: {}", source.id(), path, e.getMessage());
                }
            }
        }
        return List.copyOf(keys.values());
    }

    /** The services whose image repositories include one of these, and their owning teams. */
    private void owners(List<String> repositories, List<String> services, List<String> teams) {
        for (ServiceSummary service : catalog.services()) {
            if (service.artifactRepositories().stream().anyMatch(repositories::contains)) {
                services.add(service.name());
                if (service.owningTeam() != null) {
                    teams.add(service.owningTeam());
                }
            }
        }
    }

    /** An expected keyless signer as the admin page lists it; {@code id} null for one from the settings. */
    public record IdentityView(Long id, String issuer, String matchKind, String subjectMatch, String scopeType, String scopeName,
            String origin) {
    }

    public List<IdentityView> listIdentities() {
        List<IdentityView> identities = new ArrayList<>();
        for (ArtifactSettings.Identity identity : settings.sigstore().identities()) {
            boolean regex = identity.subjectRegex() != null && !identity.subjectRegex().isBlank();
            identities.add(new IdentityView(null, identity.issuer(), regex ? "regex" : "exact",
                    regex ? identity.subjectRegex() : identity.subject(), ORGANISATION, "*", "settings"));
        }
        db.selectFrom(TRUSTED_KEYLESS_IDENTITY).orderBy(TRUSTED_KEYLESS_IDENTITY.SCOPE_TYPE, TRUSTED_KEYLESS_IDENTITY.SCOPE_NAME,
                TRUSTED_KEYLESS_IDENTITY.ISSUER, TRUSTED_KEYLESS_IDENTITY.SUBJECT_MATCH)
                .forEach(r -> identities.add(new IdentityView(r.getId(), r.getIssuer(), r.getMatchKind(), r.getSubjectMatch(),
                        r.getScopeType(), r.getScopeName(), "added by " + r.getCreatedBy())));
        return identities;
    }

    /**
     * Trusts a keyless signer: certificates Fulcio issued for this subject on this OIDC issuer.
     *
     * @param regex whether {@code subject} is a regular expression the whole SAN must match
     * @throws IllegalArgumentException saying what is wrong
     */
    @Transactional
    public IdentityView addIdentity(String issuer, String subject, boolean regex, String scopeType, String scopeName, String actor) {
        String cleanIssuer = issuer == null ? "" : issuer.strip();
        String cleanSubject = subject == null ? "" : subject.strip();
        if (cleanIssuer.isEmpty() || cleanIssuer.length() > 500) {
            throw new IllegalArgumentException("The issuer must be 1 to 500 characters, e.g. https://token.actions.githubusercontent.com");
        }
        if (cleanSubject.isEmpty() || cleanSubject.length() > 1000) {
            throw new IllegalArgumentException("The subject must be 1 to 1000 characters");
        }
        String scope = scope(scopeType, scopeName);
        new ExpectedIdentity(cleanIssuer, regex ? null : cleanSubject, regex ? cleanSubject : null, scopeType);
        try {
            long id = db.insertInto(TRUSTED_KEYLESS_IDENTITY)
                    .set(TRUSTED_KEYLESS_IDENTITY.ISSUER, cleanIssuer)
                    .set(TRUSTED_KEYLESS_IDENTITY.MATCH_KIND, regex ? "regex" : "exact")
                    .set(TRUSTED_KEYLESS_IDENTITY.SUBJECT_MATCH, cleanSubject)
                    .set(TRUSTED_KEYLESS_IDENTITY.SCOPE_TYPE, scopeType)
                    .set(TRUSTED_KEYLESS_IDENTITY.SCOPE_NAME, scope)
                    .set(TRUSTED_KEYLESS_IDENTITY.CREATED_BY, actor)
                    .set(TRUSTED_KEYLESS_IDENTITY.CREATED_AT, OffsetDateTime.now(clock))
                    .returning(TRUSTED_KEYLESS_IDENTITY.ID).fetchOne().getId();
            events.publishEvent(new AuditEvent(actor, "trusted-identity.added", "trusted_keyless_identity", String.valueOf(id), null,
                    "{\"issuer\":\"" + jsonText(cleanIssuer) + "\",\"subject\":\"" + jsonText(cleanSubject)
                            + "\",\"scope\":\"" + scopeType + ":" + jsonText(scope) + "\"}"));
            events.publishEvent(new TrustedKeysChanged(actor));
            return new IdentityView(id, cleanIssuer, regex ? "regex" : "exact", cleanSubject, scopeType, scope, "added by " + actor);
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("This identity is already trusted for " + scopeType
                    + (ORGANISATION.equals(scopeType) ? "" : " " + scope));
        }
    }

    @Transactional
    public boolean removeIdentity(long id, String actor) {
        var record = db.selectFrom(TRUSTED_KEYLESS_IDENTITY).where(TRUSTED_KEYLESS_IDENTITY.ID.eq(id)).fetchOne();
        if (record == null) {
            return false;
        }
        record.delete();
        events.publishEvent(new AuditEvent(actor, "trusted-identity.removed", "trusted_keyless_identity", String.valueOf(id),
                "{\"issuer\":\"" + jsonText(record.getIssuer()) + "\",\"subject\":\"" + jsonText(record.getSubjectMatch())
                        + "\",\"scope\":\"" + record.getScopeType() + ":" + jsonText(record.getScopeName()) + "\"}", null));
        events.publishEvent(new TrustedKeysChanged(actor));
        return true;
    }

    /**
     * The keyless signers trusted for an artifact seen in these repositories: the organisation's (from
     * the settings and added here), and those of the services holding it and of their owning teams.
     */
    public List<ExpectedIdentity> identitiesForArtifact(List<String> repositories) {
        List<ExpectedIdentity> identities = new ArrayList<>();
        for (ArtifactSettings.Identity identity : settings.sigstore().identities()) {
            try {
                identities.add(new ExpectedIdentity(identity.issuer(), identity.subject(), identity.subjectRegex(), ORGANISATION));
            } catch (IllegalArgumentException e) {
                log.warn("assay.artifacts.sigstore.identities: {}", e.getMessage());
            }
        }
        List<String> services = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        owners(repositories, services, teams);
        db.selectFrom(TRUSTED_KEYLESS_IDENTITY)
                .where(TRUSTED_KEYLESS_IDENTITY.SCOPE_TYPE.eq(ORGANISATION)
                        .or(TRUSTED_KEYLESS_IDENTITY.SCOPE_TYPE.eq(SERVICE).and(TRUSTED_KEYLESS_IDENTITY.SCOPE_NAME.in(services)))
                        .or(TRUSTED_KEYLESS_IDENTITY.SCOPE_TYPE.eq(TEAM).and(TRUSTED_KEYLESS_IDENTITY.SCOPE_NAME.in(teams))))
                .orderBy(TRUSTED_KEYLESS_IDENTITY.ID)
                .forEach(r -> {
                    boolean regex = "regex".equals(r.getMatchKind());
                    String scope = ORGANISATION.equals(r.getScopeType()) ? ORGANISATION : r.getScopeType() + ":" + r.getScopeName();
                    identities.add(new ExpectedIdentity(r.getIssuer(), regex ? null : r.getSubjectMatch(),
                            regex ? r.getSubjectMatch() : null, scope));
                });
        return List.copyOf(identities);
    }

    /** Text for a JSON string of the audit log: backslashes and quotes escaped, control characters dropped. */
    private static String jsonText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", "");
    }

    /** The stored scope name for a scope: "*" for the organisation, else an existing team or service. */
    private String scope(String scopeType, String scopeName) {
        if (!SCOPES.contains(scopeType)) {
            throw new IllegalArgumentException("The scope must be one of " + SCOPES);
        }
        String scope = ORGANISATION.equals(scopeType) ? "*" : scopeName == null ? "" : scopeName.strip();
        if (TEAM.equals(scopeType) && catalog.team(scope).isEmpty()) {
            throw new IllegalArgumentException("No team named '" + scope + "' in the catalog");
        }
        if (SERVICE.equals(scopeType) && catalog.service(scope).isEmpty()) {
            throw new IllegalArgumentException("No service named '" + scope + "' in the catalog");
        }
        return scope;
    }

    /** A key file of a source, relative to the sources file's folder unless absolute. */
    private PublicKey read(SourceDefinition source, String path) {
        String location = path.startsWith("/") ? "file:" + path : source.baseLocation() + path;
        Resource resource = resources.getResource(location);
        if (!resource.exists()) {
            throw new IllegalArgumentException("the key file " + path + " does not exist");
        }
        try (InputStream in = resource.getInputStream()) {
            byte[] bytes = in.readNBytes(64 * 1024 + 1);
            if (bytes.length > 64 * 1024) {
                throw new IllegalArgumentException("the key file " + path + " is larger than 64 KiB");
            }
            return PublicKeys.parsePem(new String(bytes, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("the key file " + path + " cannot be read: " + e.getMessage());
        }
    }
}

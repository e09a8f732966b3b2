package dev.assay.security.internal;

import static dev.assay.security.internal.db.Tables.API_TOKEN;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.AuditEvent;
import dev.assay.security.ApiScope;
import dev.assay.security.AuditLog;
import dev.assay.security.internal.db.tables.records.ApiTokenRecord;

/**
 * API tokens: {@code assay_} followed by 32 random bytes in base64url. Only the SHA-256 of a token
 * is stored (a slow password hash buys nothing for 256 random bits, and the hash is what the lookup
 * uses), with its first characters for telling tokens apart. A token is shown once, when created.
 */
@Service
public class ApiTokens {

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    public static final String TOKEN_PREFIX = "assay_";
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";
    static final String BOOTSTRAP_ACTOR = "system:bootstrap";
    static final String ENTITY_TYPE = "api-token";
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** RFC 6750's b64token: what may follow "Bearer ". */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final int MAX_TOKEN_LENGTH = 512;
    static final int MIN_BOOTSTRAP_LENGTH = 32;
    public static final int MAX_EXPIRY_DAYS = 3650;
    /** last_used_at is a hint for admins, not a log: one write a minute per token is enough. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final DSLContext db;
    private final Clock clock;
    private final AuditLog audit;
    private final AuditJson json;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(DSLContext db, Clock clock, AuditLog audit, AuditJson json) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.json = json;
    }

    /** Every token, newest first. */
    public List<ApiTokenView> all() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return db.selectFrom(API_TOKEN).orderBy(API_TOKEN.CREATED_AT.desc(), API_TOKEN.ID.desc())
                .fetch(r -> toView(r, now));
    }

    /**
     * Creates a token. The result carries the secret; show it once and forget it.
     *
     * @param expiryDays null for a token that does not expire
     * @throws InvalidInput with a message per refused field
     */
    @Transactional
    public IssuedApiToken create(String name, Set<ApiScope> scopes, Integer expiryDays, String actor) {
        Map<String, String> errors = new LinkedHashMap<>();
        String trimmed = name == null ? "" : name.trim();
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (!NAME.matcher(trimmed).matches()) {
            errors.put("name", "Use 1 to 100 letters, digits, dots, underscores or hyphens");
        } else if (db.fetchExists(API_TOKEN, API_TOKEN.NAME.eq(trimmed).and(API_TOKEN.REVOKED_AT.isNull())
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now))))) {
            // Unique among usable tokens: the name is the actor (token:<name>) in the audit log.
            errors.put("name", "An active token named '" + trimmed + "' already exists: revoke it first or pick another name");
        }
        if (scopes == null || scopes.isEmpty()) {
            errors.put("scopes", "Choose at least one scope");
        }
        if (expiryDays != null && (expiryDays < 1 || expiryDays > MAX_EXPIRY_DAYS)) {
            errors.put("expiryDays", "Enter a number of days between 1 and " + MAX_EXPIRY_DAYS + ", or leave it empty");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        OffsetDateTime expiresAt = expiryDays == null ? null : now.plusDays(expiryDays);
        ApiTokenView token = insert(trimmed, secret, secret.substring(0, TOKEN_PREFIX.length() + 6), scopes, actor,
                expiresAt);
        return new IssuedApiToken(token, secret);
    }

    /** @throws InvalidInput when there is no such token or it is already revoked */
    @Transactional
    public void revoke(long id, String actor) {
        ApiTokenRecord record = db.selectFrom(API_TOKEN).where(API_TOKEN.ID.eq(id)).forUpdate().fetchOne();
        if (record == null) {
            throw InvalidInput.of("token", "No token with id " + id);
        }
        if (record.getRevokedAt() != null) {
            throw InvalidInput.of("token", "Token '" + record.getName() + "' is already revoked");
        }
        revoke(record, actor, null);
    }

    /**
     * Looks a presented bearer token up. A valid token's {@code last_used_at} is brought up to date
     * (at most once a minute).
     */
    public TokenCheck check(String presented) {
        if (!wellFormed(presented)) {
            return new TokenCheck(TokenCheck.Outcome.UNKNOWN, null);
        }
        ApiTokenRecord record = db.selectFrom(API_TOKEN).where(API_TOKEN.TOKEN_HASH.eq(sha256Hex(presented))).fetchOne();
        if (record == null) {
            return new TokenCheck(TokenCheck.Outcome.UNKNOWN, null);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        ApiTokenView view = toView(record, now);
        if (record.getRevokedAt() != null) {
            return new TokenCheck(TokenCheck.Outcome.REVOKED, view);
        }
        if (record.getExpiresAt() != null && !record.getExpiresAt().isAfter(now)) {
            return new TokenCheck(TokenCheck.Outcome.EXPIRED, view);
        }
        if (record.getLastUsedAt() == null || record.getLastUsedAt().isBefore(now.minus(LAST_USED_GRANULARITY))) {
            db.update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, now).where(API_TOKEN.ID.eq(record.getId())).execute();
        }
        return new TokenCheck(TokenCheck.Outcome.VALID, view);
    }

    /**
     * Registers the token an operator gave at start ({@code ASSAY_ADMIN_TOKEN}) as an admin-scoped token
     * named {@value #BOOTSTRAP_NAME}. Idempotent: the same value again changes nothing. A new value
     * replaces (revokes) the bootstrap token registered from the previous value, so rotating the
     * variable rotates the credential. A bootstrap token an admin revoked stays revoked.
     *
     * @throws IllegalStateException when the value is too weak to be a credential
     */
    @Transactional
    public void registerBootstrap(String token) {
        if (token.length() < MIN_BOOTSTRAP_LENGTH || token.length() > MAX_TOKEN_LENGTH || !wellFormed(token)) {
            throw new IllegalStateException("ASSAY_ADMIN_TOKEN (assay.admin-token) must be " + MIN_BOOTSTRAP_LENGTH
                    + " to " + MAX_TOKEN_LENGTH + " characters from A-Z a-z 0-9 . _ ~ + / - "
                    + "(for example the output of `openssl rand -hex 32`)");
        }
        ApiTokenRecord existing = db.selectFrom(API_TOKEN).where(API_TOKEN.TOKEN_HASH.eq(sha256Hex(token))).fetchOne();
        if (existing != null) {
            if (existing.getRevokedAt() != null) {
                log.warn("ASSAY_ADMIN_TOKEN names API token '{}', which was revoked on {}: it stays revoked; "
                        + "set a new value to register a new bootstrap token", existing.getName(), existing.getRevokedAt());
            }
            return;
        }
        for (ApiTokenRecord previous : db.selectFrom(API_TOKEN).where(API_TOKEN.NAME.eq(BOOTSTRAP_NAME)
                .and(API_TOKEN.CREATED_BY.eq(BOOTSTRAP_ACTOR)).and(API_TOKEN.REVOKED_AT.isNull())).fetch()) {
            revoke(previous, BOOTSTRAP_ACTOR, "replaced by a new ASSAY_ADMIN_TOKEN");
        }
        // A value chosen by an operator need not start with "assay_": show only its first 4 characters.
        insert(BOOTSTRAP_NAME, token, token.substring(0, 4), EnumSet.of(ApiScope.ADMIN), BOOTSTRAP_ACTOR, null);
        log.info("Registered the API token from ASSAY_ADMIN_TOKEN as '{}' (scope admin)", BOOTSTRAP_NAME);
    }

    /** Whether the string could be a bearer token at all (RFC 6750 b64token, bounded length). */
    public static boolean wellFormed(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH && B64TOKEN.matcher(token).matches();
    }

    static String sha256Hex(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private ApiTokenView insert(String name, String secret, String prefix, Set<ApiScope> scopes, String actor,
            OffsetDateTime expiresAt) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        ApiTokenRecord record = db.insertInto(API_TOKEN)
                .set(API_TOKEN.NAME, name)
                .set(API_TOKEN.TOKEN_HASH, sha256Hex(secret))
                .set(API_TOKEN.TOKEN_PREFIX, prefix)
                .set(API_TOKEN.SCOPES, String.join(",", EnumSet.copyOf(scopes).stream().map(ApiScope::value).toList()))
                .set(API_TOKEN.CREATED_BY, cut(actor, 100))
                .set(API_TOKEN.CREATED_AT, now)
                .set(API_TOKEN.EXPIRES_AT, expiresAt)
                .returning()
                .fetchOne();
        ApiTokenView view = toView(record, now);
        audit.record(new AuditEvent(actor, "token.created", ENTITY_TYPE, name, null, json.of(state(view, null))));
        return view;
    }

    private void revoke(ApiTokenRecord record, String actor, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        ApiTokenView before = toView(record, now);
        db.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, now).where(API_TOKEN.ID.eq(record.getId())).execute();
        ApiTokenView after = toView(db.selectFrom(API_TOKEN).where(API_TOKEN.ID.eq(record.getId())).fetchSingle(), now);
        audit.record(new AuditEvent(actor, "token.revoked", ENTITY_TYPE, record.getName(), json.of(state(before, null)),
                json.of(state(after, reason))));
    }

    /** What an audit line shows of a token: never the secret, never its hash. */
    private static Map<String, Object> state(ApiTokenView token, String reason) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", token.id());
        state.put("name", token.name());
        state.put("prefix", token.prefix());
        state.put("scopes", token.scopes().stream().map(ApiScope::value).toList());
        state.put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toInstant().toString());
        state.put("status", token.status());
        if (reason != null) {
            state.put("reason", reason);
        }
        return state;
    }

    private static ApiTokenView toView(ApiTokenRecord r, OffsetDateTime now) {
        String status = r.getRevokedAt() != null ? "revoked"
                : r.getExpiresAt() != null && !r.getExpiresAt().isAfter(now) ? "expired" : "active";
        List<ApiScope> scopes = Arrays.stream(r.getScopes().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(ApiScope::of).sorted().toList();
        return new ApiTokenView(r.getId(), r.getName(), r.getTokenPrefix(), scopes, r.getCreatedBy(), utc(r.getCreatedAt()),
                utc(r.getExpiresAt()), utc(r.getLastUsedAt()), utc(r.getRevokedAt()), status);
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}

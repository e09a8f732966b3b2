package dev.assay.security.internal;

import static dev.assay.security.internal.db.Tables.APP_USER;
import static dev.assay.security.internal.db.Tables.USER_ROLE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.security.Role;
import dev.assay.security.internal.db.tables.records.AppUserRecord;

/** The users and their roles (tables {@code app_user}, {@code user_role}). No rules here: see {@link UserAdministration}. */
@Repository
public class Users {

    private final DSLContext db;
    private final Clock clock;

    Users(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<UserAccount> find(String username) {
        AppUserRecord user = db.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).fetchOne();
        if (user == null) {
            return Optional.empty();
        }
        Set<Role> roles = toRoles(db.select(USER_ROLE.ROLE).from(USER_ROLE).where(USER_ROLE.USER_ID.eq(user.getId()))
                .fetch(USER_ROLE.ROLE));
        return Optional.of(toAccount(user, roles));
    }

    public List<UserAccount> all() {
        Map<Long, List<String>> roles = db.select(USER_ROLE.USER_ID, USER_ROLE.ROLE).from(USER_ROLE)
                .fetchGroups(USER_ROLE.USER_ID, USER_ROLE.ROLE);
        return db.selectFrom(APP_USER).orderBy(APP_USER.USERNAME)
                .fetch(u -> toAccount(u, toRoles(roles.getOrDefault(u.getId(), List.of()))));
    }

    public boolean isEmpty() {
        return !db.fetchExists(APP_USER);
    }

    public boolean exists(String username) {
        return db.fetchExists(APP_USER, APP_USER.USERNAME.eq(username));
    }

    /** The stored hash, if the user has a password at all (OIDC-only users have none). */
    public Optional<String> passwordHashOf(String username) {
        return Optional.ofNullable(db.select(APP_USER.PASSWORD_HASH).from(APP_USER)
                .where(APP_USER.USERNAME.eq(username)).fetchOne(APP_USER.PASSWORD_HASH));
    }

    @Transactional
    public UserAccount create(String username, String displayName, String passwordHash, Set<Role> roles) {
        long id = db.insertInto(APP_USER)
                .set(APP_USER.USERNAME, username)
                .set(APP_USER.DISPLAY_NAME, displayName)
                .set(APP_USER.PASSWORD_HASH, passwordHash)
                .set(APP_USER.ENABLED, true)
                .set(APP_USER.FAILED_LOGINS, 0)
                .set(APP_USER.CREATED_AT, OffsetDateTime.now(clock))
                .returningResult(APP_USER.ID)
                .fetchOne(APP_USER.ID);
        insertRoles(id, roles);
        return find(username).orElseThrow();
    }

    @Transactional
    public void replaceRoles(String username, Set<Role> roles) {
        long id = idOf(username);
        db.deleteFrom(USER_ROLE).where(USER_ROLE.USER_ID.eq(id)).execute();
        insertRoles(id, roles);
    }

    public void setEnabled(String username, boolean enabled) {
        db.update(APP_USER).set(APP_USER.ENABLED, enabled).where(APP_USER.USERNAME.eq(username)).execute();
    }

    public void setDisplayName(String username, String displayName) {
        db.update(APP_USER).set(APP_USER.DISPLAY_NAME, displayName).where(APP_USER.USERNAME.eq(username)).execute();
    }

    public void setPasswordHash(String username, String passwordHash) {
        db.update(APP_USER).set(APP_USER.PASSWORD_HASH, passwordHash).where(APP_USER.USERNAME.eq(username)).execute();
    }

    /** Forgets failed logins and any lock: after a successful login, or an admin's unlock. */
    public void clearFailures(String username) {
        db.update(APP_USER).set(APP_USER.FAILED_LOGINS, 0).setNull(APP_USER.LOCKED_UNTIL)
                .where(APP_USER.USERNAME.eq(username)
                        .and(APP_USER.FAILED_LOGINS.ne(0).or(APP_USER.LOCKED_UNTIL.isNotNull())))
                .execute();
    }

    /**
     * Counts one failed password login and locks the account when the count reaches
     * {@code maxFailures}. The row is read for update, so concurrent failures are all counted.
     * A lock that has run out starts a fresh count: after the lockout the owner has the full number
     * of attempts again rather than being locked by the next typo.
     */
    @Transactional
    public FailedLogin recordFailure(String username, int maxFailures, Duration lockout) {
        AppUserRecord user = db.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).forUpdate().fetchOne();
        if (user == null) {
            return new FailedLogin(0, null);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        boolean lockExpired = user.getLockedUntil() != null && !user.getLockedUntil().isAfter(now);
        int count = (lockExpired ? 0 : user.getFailedLogins()) + 1;
        OffsetDateTime lockedUntil = count >= maxFailures ? now.plus(lockout) : null;
        db.update(APP_USER).set(APP_USER.FAILED_LOGINS, count).set(APP_USER.LOCKED_UNTIL, lockedUntil)
                .where(APP_USER.ID.eq(user.getId())).execute();
        return new FailedLogin(count, lockedUntil == null ? null : lockedUntil.toInstant());
    }

    /** The outcome of one counted failure: {@code lockedUntil} is set when this failure locked the account. */
    public record FailedLogin(int failedLogins, Instant lockedUntil) {

        public boolean locked() {
            return lockedUntil != null;
        }
    }

    private long idOf(String username) {
        Long id = db.select(APP_USER.ID).from(APP_USER).where(APP_USER.USERNAME.eq(username)).fetchOne(APP_USER.ID);
        if (id == null) {
            throw new UnknownUserException(username);
        }
        return id;
    }

    private void insertRoles(long userId, Set<Role> roles) {
        for (Role role : roles) {
            db.insertInto(USER_ROLE).set(USER_ROLE.USER_ID, userId).set(USER_ROLE.ROLE, role.name()).execute();
        }
    }

    private static Set<Role> toRoles(Collection<String> names) {
        // A role name this version does not know (a newer version wrote it) grants nothing rather than failing the login.
        Set<String> known = EnumSet.allOf(Role.class).stream().map(Role::name).collect(Collectors.toSet());
        return names.stream().filter(known::contains).map(Role::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
    }

    private static UserAccount toAccount(AppUserRecord u, Set<Role> roles) {
        return new UserAccount(u.getId(), u.getUsername(), u.getDisplayName(), Boolean.TRUE.equals(u.getEnabled()),
                u.getFailedLogins() == null ? 0 : u.getFailedLogins(),
                u.getLockedUntil() == null ? null : u.getLockedUntil().toInstant(),
                u.getCreatedAt().toInstant(), roles);
    }
}

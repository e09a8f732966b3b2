package dev.assay.security.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.TeamMembership;
import dev.assay.common.AuditEvent;
import dev.assay.security.AuditLog;
import dev.assay.security.Role;

/**
 * Every change to users, with its rules and its audit line: create, roles, teams, enable/disable,
 * password reset, unlock. An admin cannot take away their own ADMIN role or disable themself —
 * the usual way an installation ends up with nobody able to administer it.
 */
@Service
public class UserAdministration {

    /** Usernames are the slugs team membership uses (Backstage User names): lower case, no spaces. */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{1,100}");
    static final int DISPLAY_NAME_MAX = 200;

    private final Users users;
    private final PasswordPolicy policy;
    private final PasswordEncoder passwords;
    private final TeamMembership teams;
    private final AuditLog audit;
    private final AuditJson json;
    private final ActiveSessions sessions;
    private final Clock clock;

    UserAdministration(Users users, PasswordPolicy policy, PasswordEncoder passwords, TeamMembership teams,
            AuditLog audit, AuditJson json, ActiveSessions sessions, Clock clock) {
        this.users = users;
        this.policy = policy;
        this.passwords = passwords;
        this.teams = teams;
        this.audit = audit;
        this.json = json;
        this.sessions = sessions;
        this.clock = clock;
    }

    public List<UserRow> overview() {
        Instant now = clock.instant();
        return users.all().stream().map(u -> toRow(u, now)).toList();
    }

    /** @throws UnknownUserException when there is no such user */
    public UserRow get(String username) {
        return toRow(account(username), clock.instant());
    }

    public List<String> allTeamNames() {
        return teams.allTeamNames();
    }

    /**
     * Creates a user with a password, roles and Assay-assigned teams.
     *
     * @throws InvalidInput with a message per refused field
     */
    @Transactional
    public UserAccount create(NewUser request, String actor) {
        Map<String, String> errors = new LinkedHashMap<>();
        String username = request.username() == null ? "" : request.username().trim();
        if (!USERNAME.matcher(username).matches()) {
            errors.put("username", "Use 1 to 100 lower-case letters, digits, dots, underscores or hyphens");
        } else if (users.exists(username)) {
            errors.put("username", "A user named '" + username + "' already exists");
        }
        String displayName = blankToNull(request.displayName());
        if (displayName != null && displayName.length() > DISPLAY_NAME_MAX) {
            errors.put("displayName", "Use at most " + DISPLAY_NAME_MAX + " characters");
        }
        List<String> passwordProblems = policy.violations(username, request.password());
        if (!passwordProblems.isEmpty()) {
            errors.put("password", String.join(". ", passwordProblems));
        }
        checkTeams(request.teamsOrNone(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        UserAccount created = users.create(username, displayName, passwords.encode(request.password()),
                request.rolesOrNone());
        audit.record(new AuditEvent(actor, "user.created", "user", username, null, json.of(state(created))));
        if (!request.teamsOrNone().isEmpty()) {
            // TeamMembership audits its own change (user.teams-assigned) in this transaction.
            teams.assignTeams(username, request.teamsOrNone(), actor);
        }
        return created;
    }

    /** @throws InvalidInput when the actor would remove their own ADMIN role */
    @Transactional
    public void changeRoles(String username, Set<Role> roles, String actor) {
        UserAccount before = account(username);
        Set<Role> wanted = roles == null || roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
        if (username.equals(actor) && before.roles().contains(Role.ADMIN) && !wanted.contains(Role.ADMIN)) {
            throw InvalidInput.of("roles", "You cannot remove your own ADMIN role: ask another admin to do it");
        }
        if (wanted.equals(before.roles())) {
            return;
        }
        users.replaceRoles(username, wanted);
        audit.record(new AuditEvent(actor, "user.roles-changed", "user", username, json.of(state(before)),
                json.of(state(account(username)))));
        sessions.endAllOf(username);
    }

    /** @throws InvalidInput naming a team the catalog does not know */
    @Transactional
    public void assignTeams(String username, Set<String> teamNames, String actor) {
        account(username);
        Set<String> wanted = teamNames == null ? Set.of() : teamNames;
        Map<String, String> errors = new LinkedHashMap<>();
        checkTeams(wanted, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        teams.assignTeams(username, wanted, actor);
    }

    /** @throws InvalidInput when the actor would disable themself */
    @Transactional
    public void setEnabled(String username, boolean enabled, String actor) {
        UserAccount before = account(username);
        if (!enabled && username.equals(actor)) {
            throw InvalidInput.of("enabled", "You cannot disable your own account: ask another admin to do it");
        }
        if (before.enabled() == enabled) {
            return;
        }
        users.setEnabled(username, enabled);
        audit.record(new AuditEvent(actor, enabled ? "user.enabled" : "user.disabled", "user", username,
                json.of(state(before)), json.of(state(account(username)))));
        if (!enabled) {
            sessions.endAllOf(username);
        }
    }

    /**
     * Sets a new password chosen by an admin; also lifts a lock, since the reset is usually the answer to one.
     *
     * @throws InvalidInput when the password breaks the policy
     */
    @Transactional
    public void resetPassword(String username, String password, String actor) {
        account(username);
        List<String> problems = policy.violations(username, password);
        if (!problems.isEmpty()) {
            throw InvalidInput.of("password", String.join(". ", problems));
        }
        users.setPasswordHash(username, passwords.encode(password));
        users.clearFailures(username);
        // No before/after: there is nothing about a password that may be written down.
        audit.record(new AuditEvent(actor, "user.password-reset", "user", username, null, null));
        if (!username.equals(actor)) {
            sessions.endAllOf(username);
        }
    }

    @Transactional
    public void unlock(String username, String actor) {
        UserAccount before = account(username);
        if (before.failedLogins() == 0 && before.lockedUntil() == null) {
            return;
        }
        users.clearFailures(username);
        audit.record(new AuditEvent(actor, "user.unlocked", "user", username, json.of(lockState(before)),
                json.of(lockState(account(username)))));
    }

    private UserAccount account(String username) {
        return users.find(username).orElseThrow(() -> new UnknownUserException(username));
    }

    private void checkTeams(Set<String> wanted, Map<String, String> errors) {
        // Checked before any change: TeamMembership refuses unknown names by throwing inside the
        // transaction, which would mark it rollback-only.
        Set<String> unknown = new TreeSet<>(wanted);
        unknown.removeAll(teams.allTeamNames());
        if (!unknown.isEmpty()) {
            errors.put("teams", "No team named " + String.join(", ", unknown));
        }
    }

    private UserRow toRow(UserAccount u, Instant now) {
        return new UserRow(u.username(), u.displayName(), u.roles().stream().sorted().toList(),
                teams.teamsOf(u.username()), teams.assignedTeamsOf(u.username()), u.enabled(), u.lockedAt(now),
                utc(u.lockedUntil()), u.failedLogins(), users.passwordHashOf(u.username()).isPresent(),
                utc(u.createdAt()));
    }

    /** What an audit line shows of a user: never the hash. */
    private static Map<String, Object> state(UserAccount u) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("username", u.username());
        state.put("displayName", u.displayName());
        state.put("roles", u.roles().stream().sorted().map(Role::name).toList());
        state.put("enabled", u.enabled());
        return state;
    }

    private static Map<String, Object> lockState(UserAccount u) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("failedLogins", u.failedLogins());
        state.put("lockedUntil", u.lockedUntil() == null ? null : u.lockedUntil().toString());
        return state;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package dev.assay.security.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.assay.security.Role;

/**
 * The demo profile's people, one per role, created at start when missing. They exist only when
 * the {@code demo} profile is active: outside it there are no default credentials besides the
 * first admin.
 * <table>
 * <caption>Demo users (password {@code assay-demo-<username>})</caption>
 * <tr><th>username</th><th>role</th><th>password</th></tr>
 * <tr><td>{@code exec}</td><td>EXECUTIVE</td><td>{@code assay-demo-exec}</td></tr>
 * <tr><td>{@code security}</td><td>SECURITY</td><td>{@code assay-demo-security}</td></tr>
 * <tr><td>{@code owner}</td><td>SERVICE_OWNER</td><td>{@code assay-demo-owner}</td></tr>
 * <tr><td>{@code responder}</td><td>RESPONDER</td><td>{@code assay-demo-responder}</td></tr>
 * <tr><td>{@code demo-admin}</td><td>ADMIN</td><td>{@code assay-demo-demo-admin}</td></tr>
 * </table>
 * Their teams come from the demo catalog (a Backstage User of the same name), not from here: the
 * catalog is collected after start.
 */
@Component
@Profile("demo")
@Order(1)
public class DemoUsers implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

    public static final String PASSWORD_PREFIX = "assay-demo-";
    static final String ACTOR = "system:demo";

    /** One demo person: a username and the one role they have. */
    public record DemoUser(String username, Role role) {

        public String password() {
            return PASSWORD_PREFIX + username;
        }
    }

    public static final List<DemoUser> USERS = List.of(new DemoUser("exec", Role.EXECUTIVE),
            new DemoUser("security", Role.SECURITY), new DemoUser("owner", Role.SERVICE_OWNER),
            new DemoUser("responder", Role.RESPONDER), new DemoUser("demo-admin", Role.ADMIN));

    private final Users users;
    private final UserAdministration administration;

    DemoUsers(Users users, UserAdministration administration) {
        this.users = users;
        this.administration = administration;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (DemoUser demo : USERS) {
            if (!users.exists(demo.username())) {
                String displayName = "Demo " + demo.role().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                administration.create(new NewUser(demo.username(), displayName, demo.password(), Set.of(demo.role()),
                        Set.of()), ACTOR);
                log.info("Demo profile: created user '{}' ({})", demo.username(), demo.role());
            }
        }
    }
}

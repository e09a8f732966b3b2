package dev.assay.security.internal;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;

/**
 * Session attributes are written as upserts. Two requests of one session that both add the same
 * attribute (typically the CSRF token, made lazily by the first page that renders a form after
 * login) would otherwise both INSERT it, and the second fails on the primary key with a 500 — seen
 * under the 50-session load test. The last writer wins, as it does for an attribute that exists.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

    static final String H2_CREATE_SESSION_ATTRIBUTE = """
            MERGE INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES)
            KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME)
            VALUES (?, ?, ?)
            """;

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionAttributeUpserts(DSLContext db) {
        SQLDialect family = db.dialect().family();
        return switch (family) {
            case POSTGRES -> new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
            case H2 -> repository -> repository.setCreateSessionAttributeQuery(H2_CREATE_SESSION_ATTRIBUTE);
            default -> throw new IllegalStateException("no session attribute upsert for " + family);
        };
    }
}

package dev.assay.security;

import static dev.assay.security.internal.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assay.AssayIntegrationTest;
import dev.assay.DatabaseCleaner;
import dev.assay.common.AuditEvent;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;

/** The audit log: written in the caller's transaction, listed newest first, never rewritten. */
@AssayIntegrationTest
class AuditLogTests {

    @Autowired AuditLog audit;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transactions;
    @Autowired DataSource dataSource;
    @Autowired DSLContext db;

    @BeforeEach
    void emptyDatabase() {
        new DatabaseCleaner(dataSource).cleanAll();
    }

    @Test
    void aPublishedEventIsStoredInThePublishersTransaction() {
        transactions.executeWithoutResult(tx -> events.publishEvent(
                new AuditEvent("alice", "service.updated", "service", "payments-api", "{\"tier\":2}", "{\"tier\":1}")));
        transactions.executeWithoutResult(tx -> {
            events.publishEvent(new AuditEvent("bob", "service.updated", "service", "ledger", null, "{}"));
            tx.setRollbackOnly();
        });

        assertThat(db.selectFrom(AUDIT_LOG).fetch()).singleElement().satisfies(line -> {
            assertThat(line.getActor()).isEqualTo("alice");
            assertThat(line.getAction()).isEqualTo("service.updated");
            assertThat(line.getEntityType()).isEqualTo("service");
            assertThat(line.getEntityId()).isEqualTo("payments-api");
            assertThat(line.getBeforeState()).isEqualTo("{\"tier\":2}");
            assertThat(line.getAfterState()).isEqualTo("{\"tier\":1}");
            assertThat(line.getOccurredAt()).isNotNull();
        });
    }

    @Test
    void linesAreListedNewestFirstFilteredAndPaged() {
        for (int i = 1; i <= 5; i++) {
            audit.record(new AuditEvent(i % 2 == 0 ? "alice" : "token:ci", "thing.changed", i <= 3 ? "service" : "team",
                    "item-" + i, null, null));
        }

        PageResult<AuditEntry> firstPage = audit.list(null, null, new PageRequest(0, 2));
        assertThat(firstPage.total()).isEqualTo(5);
        assertThat(firstPage.items()).extracting(AuditEntry::entityId).containsExactly("item-5", "item-4");
        assertThat(audit.list(null, null, new PageRequest(2, 2)).items()).extracting(AuditEntry::entityId)
                .containsExactly("item-1");
        assertThat(audit.list("token:ci", "service", new PageRequest(0, 10)).items()).extracting(AuditEntry::entityId)
                .containsExactly("item-3", "item-1");
        assertThat(audit.list(" ", "", new PageRequest(0, 10)).total()).isEqualTo(5);
        assertThat(audit.entityTypes()).containsExactly("service", "team");
    }

    @Test
    void anEventWithoutActorIsRefused() {
        assertThatThrownBy(() -> audit.record(new AuditEvent(null, "x", "y", null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An audit event needs actor");
    }

    @Test
    void theAuditLogOffersNoWayToChangeOrDeleteALine() {
        assertThat(Arrays.stream(AuditLog.class.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName).distinct().sorted())
                .containsExactly("entityTypes", "list", "record");
    }
}

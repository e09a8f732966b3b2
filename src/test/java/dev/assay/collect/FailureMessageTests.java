package dev.assay.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import dev.assay.collect.http.UpstreamException;

/** The plain exit messages of failed collections (the exceptions are those a database outage and upstream faults raise). */
class FailureMessageTests {

    /** What Hikari throws when PostgreSQL is down: a pool timeout caused by the driver's refusal. */
    static Throwable poolTimeout() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5433 refused. Check that the hostname and port are"
                + " correct and that the postmaster is accepting TCP/IP connections.", "08001", new ConnectException("Connection refused"));
        return new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 2000ms"
                        + " (total=0, active=0, idle=0, waiting=2)", refused));
    }

    @Test
    void aDatabaseThatCannotBeReachedIsNamedWithTheDriversOwnWords() {
        assertThat(FailureMessage.of(List.of(poolTimeout()))).isEqualTo("The database could not be reached, so the collection"
                + " stopped (Connection to 127.0.0.1:5433 refused. Check that the hostname and port are correct and that the"
                + " postmaster is accepting TCP/IP connections.). Everything stored before is kept: run the collection again"
                + " once the database is back; it stores what is missing, nothing twice.");
    }

    @Test
    void aConnectionClosedUnderTheChunkIsADatabaseFailureToo() {
        // PostgreSQL stopped with a chunk's transaction open: the rollback fails on the closed connection (SQL state 08003).
        Throwable rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("This connection has been closed.", "08003"));
        assertThat(FailureMessage.isDatabaseUnreachable(rollback)).isTrue();
        assertThat(FailureMessage.of(List.of(new IllegalStateException("unrelated first"), rollback)))
                .startsWith(FailureMessage.DATABASE_UNREACHABLE + " (This connection has been closed.). ");
    }

    @Test
    void otherFailuresGiveTheirMessagesAndThoseOfTheirCauses() {
        Throwable upstream = new UpstreamException("pd: GET /pd/incidents: still answered 500 after 5 attempts", 500);
        Throwable wrapped = new IllegalStateException("Could not read a page", new UpstreamException("pd: GET /pd/incidents:"
                + " the page is not valid JSON", new IllegalArgumentException("Unexpected end-of-input")));
        assertThat(FailureMessage.of(List.of(upstream))).isEqualTo("pd: GET /pd/incidents: still answered 500 after 5 attempts");
        assertThat(FailureMessage.of(List.of(wrapped, upstream))).isEqualTo("Could not read a page: pd: GET /pd/incidents:"
                + " the page is not valid JSON: Unexpected end-of-input; pd: GET /pd/incidents: still answered 500 after 5 attempts");
        assertThat(FailureMessage.of(List.of(new NullPointerException()))).isEqualTo("NullPointerException");
    }

    @Test
    void constraintViolationsAndOtherSqlErrorsAreNotCalledAnOutage() {
        assertThat(FailureMessage.isDatabaseUnreachable(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(FailureMessage.isDatabaseUnreachable(new UncategorizedSQLException("select", "select 1",
                new SQLException("syntax error", "42601")))).isFalse();
        assertThat(FailureMessage.isDatabaseUnreachable(new UpstreamException("pd: GET /pd/incidents: connection refused",
                new ConnectException("Connection refused")))).as("an upstream's refusal is not the database's").isFalse();
    }

    @Test
    void aLongMessageIsCutToFitTheJobRepositorysColumn() {
        String message = FailureMessage.of(List.of(new IllegalStateException("x".repeat(5_000))));
        assertThat(message).hasSize(FailureMessage.MAX_LENGTH).endsWith("x…");
    }

    @Test
    void afterAFailedRunTheExitDescriptionIsReplacedAndTheExitCodeKept() {
        JobExecution failed = new JobExecution(1L, new JobInstance(1L, "pagerdutyCollectJob"), new JobParameters());
        failed.setStatus(BatchStatus.FAILED);
        failed.setExitStatus(ExitStatus.FAILED.addExitDescription(poolTimeout()));
        failed.addFailureException(poolTimeout());
        assertThat(failed.getExitStatus().getExitDescription()).contains("\tat ");

        new FailureMessage().afterJob(failed);

        assertThat(failed.getExitStatus().getExitCode()).isEqualTo("FAILED");
        assertThat(failed.getExitStatus().getExitDescription()).startsWith(FailureMessage.DATABASE_UNREACHABLE)
                .doesNotContain("\tat ");

        JobExecution completed = new JobExecution(2L, new JobInstance(2L, "pagerdutyCollectJob"), new JobParameters());
        completed.setStatus(BatchStatus.COMPLETED);
        completed.setExitStatus(ExitStatus.COMPLETED);
        new FailureMessage().afterJob(completed);
        assertThat(completed.getExitStatus()).isEqualTo(ExitStatus.COMPLETED);
    }
}

package dev.assay.collect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The exit message of a failed collection as the jobs API and the admin pages show it: what went
 * wrong in plain words (the messages of the failure and its causes), not Spring Batch's default, a
 * stack trace, which stays in the log. A database that could not be reached is named as such.
 */
final class FailureMessage implements JobExecutionListener {

    /** Room left in {@code batch_job_execution.exit_message} (2,500 characters). */
    static final int MAX_LENGTH = 2_000;
    static final String DATABASE_UNREACHABLE = "The database could not be reached, so the collection stopped";
    static final String WHAT_NEXT = "Everything stored before is kept: run the collection again once the database is back;"
            + " it stores what is missing, nothing twice.";
    private static final Set<Class<? extends Throwable>> CONNECTION_FAILURES = Set.of(
            DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            java.sql.SQLTransientConnectionException.class, java.sql.SQLNonTransientConnectionException.class,
            java.sql.SQLRecoverableException.class);

    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.FAILED && !execution.getAllFailureExceptions().isEmpty()) {
            execution.setExitStatus(new ExitStatus(execution.getExitStatus().getExitCode(),
                    of(execution.getAllFailureExceptions())));
        }
    }

    /** The plain message of a run that failed with these exceptions. */
    static String of(List<Throwable> failures) {
        if (failures.stream().anyMatch(FailureMessage::isDatabaseUnreachable)) {
            String cause = failures.stream().filter(FailureMessage::isDatabaseUnreachable).findFirst()
                    .map(FailureMessage::driverMessage).orElse("");
            return limit(DATABASE_UNREACHABLE + (cause.isEmpty() ? "" : " (" + cause + ")") + ". " + WHAT_NEXT);
        }
        List<String> messages = new ArrayList<>();
        for (Throwable failure : failures) {
            String text = chain(failure);
            if (!messages.contains(text)) {
                messages.add(text);
            }
        }
        return limit(String.join("; ", messages));
    }

    /** A run that ended without recording its end (its instance died, or lost its database at that moment). */
    static String abandoned(String lastSign) {
        return "The instance running this collection stopped touching its lock at " + lastSign
                + " (it died, or could not reach the database to record the end of the run): marked FAILED. "
                + "Everything stored before is kept: the next run stores what is missing, nothing twice.";
    }

    static boolean isDatabaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Throwable current = t;
            if (CONNECTION_FAILURES.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
            // SQL state class 08: connection exception (the server went away, refused, or closed the connection).
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** The failure's message followed by those of its causes that add something. */
    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage().strip();
            if (message != null && text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.isEmpty() ? failure.getClass().getSimpleName() : text.toString();
    }

    /** The message of the deepest SQL exception (the driver's own words), else of the deepest cause. */
    private static String driverMessage(Throwable failure) {
        String deepest = "";
        String deepestSql = "";
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t.getMessage().strip();
                if (t instanceof SQLException) {
                    deepestSql = deepest;
                }
            }
        }
        return deepestSql.isEmpty() ? deepest : deepestSql;
    }

    private static String limit(String message) {
        return message.length() <= MAX_LENGTH ? message : message.substring(0, MAX_LENGTH - 1) + "…";
    }
}

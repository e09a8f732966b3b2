package dev.assay.collect;

import java.time.Duration;
import java.time.Instant;

/** Test helper: launches a collection and waits (bounded) until its job execution has finished. */
public final class CollectionRuns {

    private CollectionRuns() {
    }

    public static JobStatus collectAndWait(CollectionLauncher launcher, JobExecutions executions, String sourceId) {
        long id = launcher.launch(sourceId, "test");
        return waitFor(executions, id);
    }

    public static JobStatus waitFor(JobExecutions executions, long executionId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JobStatus status = executions.find(executionId).orElseThrow();
            if (status.endedAt() != null && !status.status().equals("STARTED") && !status.status().equals("STARTING")) {
                return status;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job execution " + executionId + " did not finish within 60 s");
    }
}

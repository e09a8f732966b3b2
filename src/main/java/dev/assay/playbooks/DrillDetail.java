package dev.assay.playbooks;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A drill with its steps, participants and actions, as of {@code asOf} (the application clock when
 * it was read): the elapsed time of a running step or drill is measured up to then.
 *
 * @param kind       tabletop or live
 * @param status     planned, running or finished
 * @param outcome    succeeded, partial or failed once finished
 * @param roleNames  the roles of the runbook version the drill practises, for assigning participants
 */
public record DrillDetail(long id, long runbookId, String runbookSlug, String runbookTitle, int runbookVersion,
        String kind, String status, String scenario, String createdBy, Instant createdAt, Instant startedAt,
        Instant finishedAt, String finishedBy, String outcome, String lessons, List<String> services, List<String> teams,
        List<Step> steps, List<Participant> participants, List<Action> actions, List<String> roleNames, Instant asOf) {

    public static final String PLANNED = "planned";
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";

    public DrillDetail {
        services = List.copyOf(services);
        teams = List.copyOf(teams);
        steps = List.copyOf(steps);
        participants = List.copyOf(participants);
        actions = List.copyOf(actions);
        roleNames = List.copyOf(roleNames);
    }

    public boolean planned() {
        return PLANNED.equals(status);
    }

    public boolean running() {
        return RUNNING.equals(status);
    }

    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** Seconds from the drill's start to its finish, or to asOf while it runs; null before it starts. */
    public Long elapsedSeconds() {
        if (startedAt == null) {
            return null;
        }
        Instant end = finishedAt != null ? finishedAt : asOf;
        return Math.max(0, Duration.between(startedAt, end).getSeconds());
    }

    public String elapsedText() {
        return DrillDurations.format(elapsedSeconds());
    }

    /** The participants of one role, as assigned. */
    public List<String> participantsOf(String role) {
        return participants.stream().filter(p -> p.role().equals(role)).map(Participant::name).toList();
    }

    /**
     * One checklist step and what happened to it.
     *
     * @param status  pending, started, completed or skipped
     * @param endedAt when it was completed or skipped
     * @param elapsedSeconds from its start to its end (or to the drill's finish, or asOf, while open); null if never started
     */
    public record Step(int position, String title, Integer expectedMinutes, boolean critical, String status,
            Instant startedAt, String startedBy, Instant endedAt, String endedBy, String skipReason, String notes,
            Long elapsedSeconds) {

        public static final String PENDING = "pending";
        public static final String STARTED = "started";
        public static final String COMPLETED = "completed";
        public static final String SKIPPED = "skipped";

        /** Took longer than expected (only steps with an expectation can be late). */
        public boolean late() {
            return expectedMinutes != null && elapsedSeconds != null && elapsedSeconds > expectedMinutes * 60L;
        }

        /** Seconds over the expectation when late, else 0. */
        public long overBySeconds() {
            return late() ? elapsedSeconds - expectedMinutes * 60L : 0;
        }

        public boolean open() {
            return PENDING.equals(status) || STARTED.equals(status);
        }

        public String elapsedText() {
            return DrillDurations.format(elapsedSeconds);
        }

        public String expectedText() {
            return expectedMinutes == null ? "—" : DrillDurations.format(expectedMinutes * 60L);
        }

        public String overByText() {
            return DrillDurations.format(overBySeconds());
        }
    }

    public record Participant(String role, String name) {
    }

    public record Action(long id, String title, String owner, LocalDate dueOn, String createdBy, Instant createdAt) {
    }
}

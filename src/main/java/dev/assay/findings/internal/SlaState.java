package dev.assay.findings.internal;

import java.time.Duration;
import java.time.Instant;

import dev.assay.findings.FindingStatus;

/**
 * The SLA countdown badge of a finding, computed once by the server (templates compute nothing):
 * "3 days left", "overdue by 5 days", "fixed within SLA", "fixed 2 days late".
 *
 * @param label   the text of the badge
 * @param tone    the CSS tone: {@code bad} (overdue, fixed late), {@code warn} (due within 7 days),
 *                {@code good} (fixed within SLA), {@code neutral}
 * @param overdue open or in progress and past its due date
 */
public record SlaState(String label, String tone, boolean overdue) {

    static final Duration DAY = Duration.ofDays(1);
    static final long WARN_DAYS = 7;

    public static SlaState of(FindingStatus status, Instant due, Instant fixedAt, Instant now) {
        switch (status) {
            case FIXED:
                if (!fixedAt.isAfter(due)) {
                    return new SlaState("fixed within SLA", "good", false);
                }
                long late = Duration.between(due, fixedAt).dividedBy(DAY);
                return new SlaState(late == 0 ? "fixed less than a day late" : "fixed " + days(late) + " late", "bad", false);
            case FALSE_POSITIVE:
                return new SlaState("false positive", "neutral", false);
            case RISK_ACCEPTED:
                return new SlaState("risk accepted", "neutral", false);
            default:
                if (now.isAfter(due)) {
                    long over = Duration.between(due, now).dividedBy(DAY);
                    return new SlaState(over == 0 ? "overdue by less than a day" : "overdue by " + days(over), "bad", true);
                }
                long left = Duration.between(now, due).dividedBy(DAY);
                return new SlaState(left == 0 ? "less than a day left" : days(left) + " left", left < WARN_DAYS ? "warn" : "neutral",
                        false);
        }
    }

    private static String days(long n) {
        return n == 1 ? "1 day" : n + " days";
    }
}

package dev.assay.findings;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SLA compliance (DESIGN §5) over a window ending at {@code asOf}: findings fixed in the window
 * within their SLA, over findings fixed in the window plus findings open past their due date now.
 * Findings closed as false positives or by an accepted risk count in neither. An open finding past
 * due counts whatever its due date, so a long-neglected finding keeps counting against every window
 * until it is fixed or its risk accepted.
 *
 * @param window          the window as asked, an ISO-8601 duration such as {@code P90D}
 * @param closedWithinSla fixed in the window, at or before the due date
 * @param closedLate      fixed in the window, after the due date
 * @param openPastDue     open or in progress, due date passed
 */
public record SlaCompliance(String window, Instant from, Instant asOf, String team, String service, String severity,
        long closedWithinSla, long closedLate, long openPastDue) {

    public static final String METRIC = "sla-compliance";

    public long numerator() {
        return closedWithinSla;
    }

    public long denominator() {
        return closedWithinSla + closedLate + openPastDue;
    }

    /** Null when there is nothing to judge (denominator 0). */
    public Double ratio() {
        return denominator() == 0 ? null : (double) numerator() / denominator();
    }

    /** The answer of {@code GET /api/v1/metrics/sla-compliance}: the ratio shape of DESIGN §4, plus its parts. */
    public Map<String, Object> toMetric() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", METRIC);
        answer.put("window", window);
        answer.put("numerator", numerator());
        answer.put("denominator", denominator());
        answer.put("ratio", ratio());
        answer.put("closed_within_sla", closedWithinSla);
        answer.put("closed_late", closedLate);
        answer.put("open_past_due", openPastDue);
        answer.put("as_of", asOf.toString());
        return answer;
    }
}

package dev.assay.findings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

import dev.assay.common.Csv;
import dev.assay.common.CsvNegotiation;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingFilter;
import dev.assay.findings.internal.FindingRow;
import dev.assay.findings.internal.FindingSearch;
import dev.assay.findings.internal.FindingSort;

/** The CSV form of a list of findings: the same columns for the page export and the API. */
final class FindingCsv {

    static final List<String> HEADER = List.of("id", "service", "team", "source", "severity", "cvss_score", "rule_id",
            "package_name", "installed_version", "fixed_version", "subject", "title", "status", "assignee",
            "first_seen_at", "last_seen_at", "due_at", "sla_days", "sla_state", "fixed_at");

    private FindingCsv() {
    }

    static List<?> row(FindingRow f) {
        boolean policy = f.source() == FindingSource.POLICY;
        List<Object> cells = new ArrayList<>();
        cells.add(f.id());
        cells.add(f.service());
        cells.add(f.team());
        cells.add(f.source().slug());
        cells.add(f.severity().slug());
        cells.add(f.cvssScore());
        cells.add(f.ruleId());
        cells.add(policy ? null : f.subject());
        cells.add(f.installedVersion());
        cells.add(f.fixedVersion());
        cells.add(policy ? f.subject() : null);
        cells.add(f.title());
        cells.add(f.status().slug());
        cells.add(f.assignee());
        cells.add(text(f.firstSeenAt()));
        cells.add(text(f.lastSeenAt()));
        cells.add(text(f.dueAt()));
        cells.add(f.slaDays());
        cells.add(f.sla().label());
        cells.add(text(f.fixedAt()));
        return cells;
    }

    /**
     * Streams every row of the filtered list as CSV, chunk by chunk (a whole export of a large
     * organisation never sits in memory). Each chunk is rendered by the shared {@link Csv} (quoting,
     * formula-injection protection) and its header line is dropped after the first.
     */
    static void stream(HttpServletResponse response, String fileName, FindingSearch search, UserAccess user,
            FindingFilter filter, FindingSort sort) throws IOException {
        response.setContentType(CsvNegotiation.TEXT_CSV.toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".csv\"");
        String headerLine = Csv.render(HEADER, List.of());
        Writer out = response.getWriter();
        out.write(headerLine);
        try {
            search.export(user, filter, sort, chunk -> {
                String body = Csv.render(HEADER, chunk.stream().<List<?>>map(FindingCsv::row).toList());
                write(out, body.substring(headerLine.length()));
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

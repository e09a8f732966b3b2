package dev.assay.collect.http;

import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.assay.collect.Quarantine;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * Fetches one page of an upstream list through the source's {@link UpstreamClient} (retries,
 * Retry-After, rate limits) and parses it as untrusted JSON.
 * <p>
 * A page that is not valid JSON or not the expected shape (a truncated transfer, an HTML error page
 * behind a 200) is asked for once more; if it is still broken it is quarantined and the step stops
 * with an {@link UnreadablePageException}. Skipping it would lose its records and, with offset or
 * token paging, everything after it; stopping keeps the watermark at the last committed chunk, so
 * the next run reads from there again. The quarantine row is written in its own transaction so it
 * survives the failed chunk.
 */
public class PageFetcher {

    private static final Logger log = LoggerFactory.getLogger(PageFetcher.class);

    private final UpstreamClient client;
    private final UntrustedJson json;
    private final Quarantine quarantine;
    private final TransactionTemplate ownTransaction;
    private final String sourceId;
    private final long jobExecutionId;

    public PageFetcher(UpstreamClient client, UntrustedJson json, Quarantine quarantine,
            PlatformTransactionManager transactionManager, String sourceId, long jobExecutionId) {
        this.client = client;
        this.json = json;
        this.quarantine = quarantine;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.sourceId = sourceId;
        this.jobExecutionId = jobExecutionId;
    }

    public UpstreamClient client() {
        return client;
    }

    /**
     * @param kind     the quarantine kind of a broken page, e.g. {@code pagerduty-page}
     * @param expected what a good page looks like, e.g. "has an incidents array"
     */
    public JsonNode page(URI uri, Map<String, String> headers, String kind, Predicate<JsonNode> wellFormed,
            String expected) {
        return fetch(uri, headers, kind, wellFormed, expected).body();
    }

    /** A page and the answer it came in (paging and ETag headers); a 304 to a conditional request has no body. */
    public record Fetched(JsonNode body, UpstreamResponse response) {

        public boolean notModified() {
            return response.notModified();
        }
    }

    /** Like {@link #page}, keeping the answer's headers; a 304 (the headers asked for it) is returned as is. */
    public Fetched fetch(URI uri, Map<String, String> headers, String kind, Predicate<JsonNode> wellFormed,
            String expected) {
        String problem = null;
        UpstreamResponse response = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            response = client.get(uri, headers);
            if (response.notModified()) {
                return new Fetched(null, response);
            }
            try {
                JsonNode page = json.readTree(response.body());
                if (wellFormed.test(page)) {
                    return new Fetched(page, response);
                }
                problem = "the page is JSON but not the expected shape (" + expected + ")";
            } catch (IllegalArgumentException e) {
                problem = "the page is " + e.getMessage();
            }
            log.warn("{}: GET {} answered an unreadable page ({}), attempt {}/2", sourceId, uri.getRawPath(), problem, attempt);
        }
        String reason = problem + "; nothing after this page was read in this run";
        String body = response.body();
        ownTransaction.executeWithoutResult(status -> quarantine.hold(sourceId, kind, "GET " + uri, body, reason,
                jobExecutionId));
        throw new UnreadablePageException(sourceId + ": GET " + uri.getRawPath() + ": " + reason);
    }

    /** A GET of one record that may legitimately be gone (404): null then. */
    public JsonNode optionalRecord(URI uri, Map<String, String> headers, String kind) {
        try {
            return page(uri, headers, kind, node -> node.isObject(), "a JSON object");
        } catch (UpstreamException e) {
            if (e.status() == 404) {
                log.warn("{}: GET {} answered 404; the record is stored without it", sourceId, uri.getRawPath());
                return null;
            }
            throw e;
        }
    }

    /** The step stops: a page could not be read even after asking again. */
    public static class UnreadablePageException extends RuntimeException {
        public UnreadablePageException(String message) {
            super(message);
        }
    }
}

package dev.assay.collect.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client for one source, with the discipline DESIGN §3 asks of every collector: timeouts,
 * retries with backoff on 5xx / timeouts / resets, {@code Retry-After} on 429 and 503, waiting out
 * {@code X-RateLimit-*} / {@code RateLimit-*} exhaustion, conditional requests, a body size limit,
 * and no credential in any log line or error message. Redirects are followed (at most 5) and the
 * credential is only sent to the source's own host.
 */
public class UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);
    private static final int MAX_REDIRECTS = 5;

    private final String sourceId;
    private final URI baseUri;
    private final String authHeader;
    private final String authValue;
    /** Kept only to scrub it (and its encodings) from error messages, which may quote an upstream's answer. */
    private final String secret;
    private final HttpClient http;
    private final UpstreamSettings settings;
    private final Sleeper sleeper;
    private final Clock clock;
    private final AtomicLong requests = new AtomicLong();
    private Instant rateLimitedUntil = Instant.MIN;

    UpstreamClient(String sourceId, URI baseUri, UpstreamAuth auth, String secret, HttpClient http,
            UpstreamSettings settings, Sleeper sleeper, Clock clock) {
        this.sourceId = sourceId;
        this.baseUri = baseUri;
        this.authHeader = auth == null || secret == null ? null : auth.headerName();
        this.authValue = auth == null || secret == null ? null : auth.headerValue(secret);
        this.secret = secret;
        this.http = http;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** The source's base URL, against which relative paths resolve. */
    public URI baseUri() {
        return baseUri;
    }

    /** How many HTTP requests this client has sent (retries included). */
    public long requestCount() {
        return requests.get();
    }

    public UpstreamResponse get(String pathOrUrl) {
        return get(resolve(pathOrUrl), Map.of());
    }

    /** A conditional GET: with the ETag of the last answer, an unchanged resource answers 304 and costs no parsing. */
    public UpstreamResponse getIfNoneMatch(URI uri, String etag) {
        return get(uri, etag == null ? Map.of() : Map.of("If-None-Match", etag));
    }

    public URI resolve(String pathOrUrl) {
        URI target = URI.create(pathOrUrl);
        if (target.isAbsolute()) {
            return target;
        }
        String base = baseUri.toString().endsWith("/") ? baseUri.toString() : baseUri + "/";
        return URI.create(base).resolve(pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl);
    }

    public UpstreamResponse get(URI uri, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("Accept", "application/json");
        int attempt = 0;
        while (true) {
            attempt++;
            waitForRateLimit();
            UpstreamResponse response;
            try {
                response = send(uri, all);
            } catch (IOException e) {
                if (attempt >= settings.maxAttempts()) {
                    throw new UpstreamException(scrub(sourceId + ": failed after " + attempt + " attempts ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): GET "
                            + redact(uri)), e);
                }
                Duration backoff = backoff(attempt);
                log.warn("{}: GET {} failed ({}), retrying in {} (attempt {}/{})", sourceId, scrub(redact(uri)),
                        e.getClass().getSimpleName(), backoff, attempt, settings.maxAttempts());
                pause(backoff);
                continue;
            }
            noteRateLimit(response);
            int status = response.status();
            if (status < 300 || status == 304) {
                return response;
            }
            boolean retryable = status == 429 || status == 408 || status >= 500;
            if (!retryable) {
                throw new UpstreamException(scrub(sourceId + ": GET " + redact(uri) + " answered " + status + snippet(response)), status);
            }
            if (attempt >= settings.maxAttempts()) {
                throw new UpstreamException(scrub(sourceId + ": still answered " + status + " after " + attempt + " attempts: GET "
                        + redact(uri) + snippet(response)), status);
            }
            Duration wait = retryAfter(response).orElse(backoff(attempt));
            if (wait.compareTo(settings.maxWait()) > 0) {
                throw new UpstreamException(scrub(sourceId + ": answered " + status + " and asks to wait " + wait
                        + ", longer than the limit of " + settings.maxWait() + ": GET " + redact(uri)), status);
            }
            log.warn("{}: GET {} answered {}, retrying in {} (attempt {}/{})", sourceId, scrub(redact(uri)), status, wait, attempt,
                    settings.maxAttempts());
            pause(wait);
        }
    }

    private UpstreamResponse send(URI uri, Map<String, String> headers) throws IOException {
        URI target = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).GET().timeout(settings.requestTimeout());
            headers.forEach(request::header);
            if (authHeader != null && sameOrigin(target)) {
                request.header(authHeader, authValue);
            }
            requests.incrementAndGet();
            HttpResponse<byte[]> response = exchange(request.build(), target);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
                target = target.resolve(location.get());
                continue;
            }
            return new UpstreamResponse(target, status, response.headers(), new String(response.body(), StandardCharsets.UTF_8));
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    /**
     * One request and its whole answer, within {@code request-timeout}. The request's own timeout
     * covers only the wait for the response headers; an upstream that then stalls mid-body (a
     * broken chunk, a half-open connection) would block the collection forever, so the exchange as a
     * whole has the deadline, and a stalled one is abandoned and retried like a timeout.
     */
    private HttpResponse<byte[]> exchange(HttpRequest request, URI uri) throws IOException {
        AtomicReference<LimitedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> {
            LimitedBody subscriber = new LimitedBody(settings.maxBodyBytes());
            body.set(subscriber);
            return subscriber;
        });
        try {
            return exchange.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + settings.requestTimeout());
        } catch (ExecutionException e) {
            // Refusing the body cancels the stream, which the client may report first as its own failure.
            if (body.get() != null && body.get().tooLarge) {
                throw new UpstreamException(scrub(sourceId + ": GET " + redact(uri) + " answered more than "
                        + settings.maxBodyBytes() + " bytes"), 413);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause() == null ? e : e.getCause());
        }
    }

    /** Collects a body up to the size limit; a larger one is refused without reading it all. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;
        private volatile boolean tooLarge;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + (long) item.remaining() > limit) {
                    tooLarge = true;
                    subscription.cancel();
                    body.completeExceptionally(new BodyTooLargeException());
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                buffer.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(buffer.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    private static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException() {
            super("body over the size limit", null, false, false);
        }
    }

    private boolean sameOrigin(URI target) {
        return Objects.equals(target.getHost(), baseUri.getHost()) && target.getPort() == baseUri.getPort()
                && Objects.equals(target.getScheme(), baseUri.getScheme());
    }

    /**
     * GitHub sends {@code X-RateLimit-Remaining} / {@code X-RateLimit-Reset} (epoch seconds); GitLab
     * and the IETF draft send {@code RateLimit-Remaining} / {@code RateLimit-Reset} (GitLab: epoch
     * seconds, the draft: seconds from now). When nothing remains, the next request waits for the reset.
     */
    private void noteRateLimit(UpstreamResponse response) {
        for (String prefix : new String[] {"X-RateLimit-", "RateLimit-"}) {
            Optional<String> remaining = response.header(prefix + "Remaining");
            Optional<String> reset = response.header(prefix + "Reset");
            if (remaining.isPresent() && reset.isPresent() && remaining.get().trim().equals("0")) {
                try {
                    long value = Long.parseLong(reset.get().trim());
                    Instant now = clock.instant();
                    rateLimitedUntil = value > 1_000_000_000L ? Instant.ofEpochSecond(value) : now.plusSeconds(value);
                } catch (NumberFormatException ignored) {
                    // an unreadable reset is treated as no rate-limit information
                }
                return;
            }
        }
    }

    private void waitForRateLimit() {
        Duration wait = Duration.between(clock.instant(), rateLimitedUntil);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        if (wait.compareTo(settings.maxWait()) > 0) {
            throw new UpstreamException(scrub(sourceId + ": rate limit exhausted until " + rateLimitedUntil
                    + ", longer than the wait limit of " + settings.maxWait()), 429);
        }
        log.info("{}: rate limit exhausted, waiting {} for the reset", sourceId, wait);
        pause(wait);
        rateLimitedUntil = Instant.MIN;
    }

    private Optional<Duration> retryAfter(UpstreamResponse response) {
        return RetryTiming.retryAfter(response.header("Retry-After"), clock.instant());
    }

    private Duration backoff(int attempt) {
        return RetryTiming.backoff(settings, attempt);
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(scrub(sourceId + ": interrupted while waiting to retry"), e);
        }
    }

    /**
     * Removes the credential from a message: an upstream's error body or an exception may quote the
     * request it got (a proxy echoing the Authorization header, a token in a query string).
     */
    String scrub(String text) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        String scrubbed = text.replace(secret, "[REDACTED]");
        // "user:token" for Basic authentication: the token alone is as secret as the pair
        int colon = secret.indexOf(':');
        if (colon >= 0 && colon + 1 < secret.length()) {
            scrubbed = scrubbed.replace(secret.substring(colon + 1), "[REDACTED]");
        }
        if (authValue != null) {
            scrubbed = scrubbed.replace(authValue, "[REDACTED]");
            int space = authValue.indexOf(' ');
            if (space > 0 && space + 1 < authValue.length()) {
                scrubbed = scrubbed.replace(authValue.substring(space + 1), "[REDACTED]");
            }
        }
        return scrubbed;
    }

    private static String snippet(UpstreamResponse response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.isEmpty()) {
            return "";
        }
        body = body.replaceAll("[\\r\\n\\t]+", " ");
        return ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }

    /** URLs are logged without their query string's credentials (some APIs accept tokens there). */
    static String redact(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return uri.toString();
        }
        String redacted = query.replaceAll("(?i)((?:access_)?token|key|apikey|api_key|password|secret|private_token)=[^&]*",
                "$1=REDACTED");
        return uri.toString().replace(query, redacted);
    }
}

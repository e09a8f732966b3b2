package dev.assay.artifacts.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.assay.collect.http.RetryTiming;
import dev.assay.collect.http.Sleeper;
import dev.assay.collect.http.UpstreamSettings;
import dev.assay.common.UntrustedJson;
import tools.jackson.databind.JsonNode;

/**
 * A client of the OCI Distribution API for one registry source, with the HTTP discipline of every
 * collector (collect's UpstreamClient, which is GET-only and knows no registry auth): timeouts,
 * retries with backoff on 5xx / timeouts / resets, {@code Retry-After} on 429 and 503 (up to the
 * wait limit), a body size limit per request, and credentials never in a log line or message.
 * <p>
 * Authentication follows the distribution spec's token flow: a 401 with
 * {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} is answered by fetching a token from
 * the realm (with the source's {@code user:password} as Basic credentials when it has one) and
 * repeating the request with it; a {@code Basic} challenge is answered with the credentials. The
 * credentials go only to the registry's own host and to a realm it names on the same host or over
 * HTTPS; redirects (blob storage) are followed without them to other hosts.
 */
public class RegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final String sourceId;
    private final URI base;
    private final String credentials;
    private final HttpClient http;
    private final UpstreamSettings settings;
    private final Sleeper sleeper;
    private final Clock clock;
    private final UntrustedJson json;
    private final Map<String, String> tokens = new HashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private boolean basic;

    /**
     * @param credentials {@code user:password} for Basic auth and token requests, or null for anonymous access
     */
    public RegistryClient(String sourceId, URI base, String credentials, HttpClient http, UpstreamSettings settings,
            Sleeper sleeper, Clock clock, UntrustedJson json) {
        this.sourceId = sourceId;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.credentials = credentials;
        this.http = http;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
        this.json = json;
    }

    public long requestCount() {
        return requests.get();
    }

    /** {@code GET /v2/}: checks the registry speaks the Distribution API and that Assay may use it. */
    public void ping() {
        RegistryResponse response = send("GET", "v2/", null, 64 * 1024, "registry:catalog:*");
        if (response.status() != 200) {
            throw new RegistryException(sourceId + ": GET " + base + "v2/ answered " + response.status()
                    + (response.status() == 401 ? " (the credentials in token-env were refused, or none were given)" : ""),
                    response.status());
        }
    }

    /** A GET that must succeed (2xx); a 404 or other failure throws with the status. */
    public RegistryResponse get(String pathOrUrl, String accept, long maxBytes, String scope) {
        RegistryResponse response = send("GET", pathOrUrl, accept, maxBytes, scope);
        if (response.status() >= 300) {
            throw new RegistryException(sourceId + ": GET " + redact(response.uri()) + " answered " + response.status()
                    + snippet(response), response.status());
        }
        return response;
    }

    /** A GET whose 404 is an answer (referrers API, an optional tag): empty then. */
    public Optional<RegistryResponse> getIfPresent(String pathOrUrl, String accept, long maxBytes, String scope) {
        RegistryResponse response = send("GET", pathOrUrl, accept, maxBytes, scope);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() >= 300) {
            throw new RegistryException(sourceId + ": GET " + redact(response.uri()) + " answered " + response.status()
                    + snippet(response), response.status());
        }
        return Optional.of(response);
    }

    /** {@code HEAD}: the digest and size of a manifest without its body; empty on 404. */
    public Optional<RegistryResponse> head(String path, String accept, String scope) {
        RegistryResponse response = send("HEAD", path, accept, 0, scope);
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() >= 300) {
            throw new RegistryException(sourceId + ": HEAD " + redact(response.uri()) + " answered " + response.status(),
                    response.status());
        }
        return Optional.of(response);
    }

    private RegistryResponse send(String method, String pathOrUrl, String accept, long maxBytes, String scope) {
        URI uri = resolve(pathOrUrl);
        boolean authRetried = false;
        int attempt = 0;
        while (true) {
            attempt++;
            RegistryResponse response;
            try {
                response = exchange(method, uri, accept, maxBytes, scope);
            } catch (IOException e) {
                if (attempt >= settings.maxAttempts()) {
                    throw new RegistryException(sourceId + ": " + method + " " + redact(uri) + " failed after " + attempt
                            + " attempts: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
                }
                Duration wait = backoff(attempt);
                log.warn("{}: {} {} failed ({}), retrying in {}", sourceId, method, redact(uri), e.getClass().getSimpleName(), wait);
                pause(wait);
                continue;
            }
            int status = response.status();
            if (status == 401 && !authRetried && authenticate(response, scope)) {
                authRetried = true;
                attempt--;
                continue;
            }
            boolean retryable = status == 429 || status == 408 || status >= 500;
            if (!retryable) {
                return response;
            }
            if (attempt >= settings.maxAttempts()) {
                throw new RegistryException(sourceId + ": " + method + " " + redact(uri) + " still answered " + status + " after "
                        + attempt + " attempts" + snippet(response), status);
            }
            Duration wait = retryAfter(response).orElse(backoff(attempt));
            if (wait.compareTo(settings.maxWait()) > 0) {
                throw new RegistryException(sourceId + ": " + method + " " + redact(uri) + " answered " + status
                        + " and asks to wait " + wait + ", longer than the limit of " + settings.maxWait(), status);
            }
            log.warn("{}: {} {} answered {}, retrying in {} (attempt {}/{})", sourceId, method, redact(uri), status, wait, attempt,
                    settings.maxAttempts());
            pause(wait);
        }
    }

    private RegistryResponse exchange(String method, URI uri, String accept, long maxBytes, String scope) throws IOException {
        URI target = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(settings.requestTimeout());
            if (accept != null) {
                request.header("Accept", accept);
            }
            if (sameOrigin(target)) {
                String authorization = authorization(scope);
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
            }
            requests.incrementAndGet();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
                response.body().close();
                target = target.resolve(location.get());
                continue;
            }
            byte[] body = "HEAD".equals(method) ? new byte[0] : read(response.body(), target, status < 300 ? maxBytes : 64 * 1024);
            if ("HEAD".equals(method)) {
                response.body().close();
            }
            return new RegistryResponse(target, status, response.headers(), body);
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private byte[] read(InputStream body, URI uri, long maxBytes) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new RegistryException(sourceId + ": GET " + redact(uri) + " answered more than " + maxBytes
                        + " bytes, the limit for this kind of content", 413);
            }
            return bytes;
        }
    }

    private String authorization(String scope) {
        String token = tokens.get(scope == null ? "" : scope);
        if (token != null) {
            return "Bearer " + token;
        }
        if (basic && credentials != null) {
            return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Answers a 401 challenge; false when there is nothing more to try. */
    private boolean authenticate(RegistryResponse response, String scope) {
        String challenge = response.header("WWW-Authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (credentials == null || basic) {
                return false;
            }
            basic = true;
            return true;
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            return false;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            return false;
        }
        String wanted = params.getOrDefault("scope", scope);
        StringBuilder url = new StringBuilder(realm);
        String separator = realm.contains("?") ? "&" : "?";
        if (params.get("service") != null) {
            url.append(separator).append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
            separator = "&";
        }
        if (wanted != null) {
            url.append(separator).append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        }
        String token = fetchToken(URI.create(url.toString()));
        tokens.put(scope == null ? "" : scope, token);
        return true;
    }

    private String fetchToken(URI realm) {
        HttpRequest.Builder request = HttpRequest.newBuilder(realm).GET().timeout(settings.requestTimeout())
                .header("Accept", "application/json");
        boolean trustedRealm = sameHost(realm) || "https".equalsIgnoreCase(realm.getScheme());
        if (credentials != null && trustedRealm) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        String body;
        int status;
        try {
            requests.incrementAndGet();
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = new String(read(response.body(), realm, 1024 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RegistryException(sourceId + ": the token service " + redact(realm) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(sourceId + ": interrupted while fetching a token", e);
        }
        if (status != 200) {
            throw new RegistryException(sourceId + ": the token service " + redact(realm) + " answered " + status
                    + (status == 401 ? " (the credentials in token-env were refused, or none were given)" : ""), status);
        }
        try {
            JsonNode node = json.readTree(body);
            String token = node.path("token").isString() ? node.path("token").asString() : node.path("access_token").asString();
            if (token == null || token.isBlank()) {
                throw new RegistryException(sourceId + ": the token service " + redact(realm) + " answered without a token", status);
            }
            return token;
        } catch (IllegalArgumentException e) {
            throw new RegistryException(sourceId + ": the token service answered " + e.getMessage(), status);
        }
    }

    public URI resolve(String pathOrUrl) {
        URI target = URI.create(pathOrUrl);
        return target.isAbsolute() ? target : base.resolve(pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl);
    }

    private boolean sameOrigin(URI target) {
        return sameHost(target) && target.getPort() == base.getPort() && Objects.equals(target.getScheme(), base.getScheme());
    }

    private boolean sameHost(URI target) {
        return Objects.equals(target.getHost(), base.getHost());
    }

    private Optional<Duration> retryAfter(RegistryResponse response) {
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
            throw new RegistryException(sourceId + ": interrupted while waiting to retry", e);
        }
    }

    private static String snippet(RegistryResponse response) {
        String body = new String(response.body(), StandardCharsets.UTF_8).strip().replaceAll("[\\r\\n\\t]+", " ");
        return body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }

    /** URLs are logged without query values that might be credentials (token endpoints, signed blob URLs). */
    static String redact(URI uri) {
        String query = uri.getRawQuery();
        return query == null ? uri.toString() : uri.toString().replace(query,
                query.replaceAll("(?i)((?:access_)?token|key|password|secret|signature|x-amz-[a-z-]+|sig)=[^&]*", "$1=REDACTED"));
    }
}

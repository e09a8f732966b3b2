package dev.assay.artifacts.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Pushes blobs and manifests to a registry through the Distribution API, the way a client such as
 * docker, cosign or oras does: {@code POST /v2/<name>/blobs/uploads/} then {@code PUT <location>&digest=},
 * and {@code PUT /v2/<name>/manifests/<reference>}.
 */
public final class OciPusher {

    private final URI base;
    private final String basicCredentials;
    private final HttpClient http = HttpClient.newHttpClient();

    public OciPusher(URI base, String userColonPassword) {
        this.base = base;
        this.basicCredentials = userColonPassword;
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads a blob and returns its descriptor JSON (mediaType, digest, size). */
    public String blob(String name, String mediaType, byte[] content) {
        String digest = digest(content);
        HttpResponse<String> start = send(HttpRequest.newBuilder(base.resolve("/v2/" + name + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (start.statusCode() != 202) {
            throw new IllegalStateException("starting an upload answered " + start.statusCode() + ": " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = base.resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> done = send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (done.statusCode() != 201) {
            throw new IllegalStateException("finishing an upload answered " + done.statusCode() + ": " + done.body());
        }
        return descriptor(mediaType, digest, content.length);
    }

    public String blob(String name, String mediaType, String content) {
        return blob(name, mediaType, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts a manifest under a tag or its digest; returns its digest. */
    public String manifest(String name, String reference, String mediaType, String manifest) {
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/v2/" + name + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("putting manifest " + name + ":" + reference + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        String digest = digest(bytes);
        if (!digest.equals(response.headers().firstValue("Docker-Content-Digest").orElse(digest))) {
            throw new IllegalStateException("the registry computed another digest for " + reference);
        }
        return digest;
    }

    public static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (basicCredentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basicCredentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

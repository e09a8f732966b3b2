package dev.assay.artifacts.internal.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** An in-toto Statement (v0.1 or v1): the subjects it is about, and a typed predicate. */
public record InTotoStatement(String type, String predicateType, List<Subject> subjects, JsonNode predicate) {

    public static final String V01 = "https://in-toto.io/Statement/v0.1";
    public static final String V1 = "https://in-toto.io/Statement/v1";

    public record Subject(String name, Map<String, String> digest) {

        /** The subject's digest as {@code sha256:<hex>} (or sha512), when it has one of those. */
        public String ociDigest() {
            if (digest.get("sha256") != null) {
                return "sha256:" + digest.get("sha256");
            }
            return digest.get("sha512") == null ? null : "sha512:" + digest.get("sha512");
        }
    }

    public static InTotoStatement parse(JsonNode node) {
        String type = Json.text(node, "_type");
        if (!V01.equals(type) && !V1.equals(type)) {
            throw new IllegalArgumentException("not an in-toto Statement: _type is " + (type == null ? "missing" : "'" + type + "'")
                    + " (expected " + V01 + " or " + V1 + ")");
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode subject : Json.array(node, "subject")) {
            Map<String, String> digests = new LinkedHashMap<>();
            JsonNode digest = Json.at(subject, "digest");
            if (digest != null && digest.isObject()) {
                for (String algorithm : digest.propertyNames()) {
                    String value = Json.text(digest, algorithm);
                    if (value != null) {
                        digests.put(algorithm, value.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            subjects.add(new Subject(Json.text(subject, "name"), digests));
        }
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("the in-toto Statement has no subject");
        }
        String predicateType = Json.text(node, "predicateType");
        if (predicateType == null) {
            throw new IllegalArgumentException("the in-toto Statement has no predicateType");
        }
        return new InTotoStatement(type, predicateType, subjects, Json.at(node, "predicate"));
    }

    public boolean isAbout(String digest) {
        return subjects.stream().anyMatch(s -> digest.equals(s.ociDigest()));
    }
}

package dev.assay.artifacts.internal.parse;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Small null-safe readers over untrusted JSON: a missing or mistyped field is null, never an exception. */
final class Json {

    private Json() {
    }

    /** The text of a scalar at a path of property names; null when absent, null, empty or not a scalar. */
    static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(name);
        }
        if (current == null || !(current.isString() || current.isNumber() || current.isBoolean())) {
            return null;
        }
        String value = current.asString();
        return value == null || value.isBlank() ? null : value;
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(name);
        }
        return current == null || current.isNull() || current.isMissingNode() ? null : current;
    }

    /** The elements of an array at a path; empty when absent or not an array. */
    static List<JsonNode> array(JsonNode node, String... path) {
        JsonNode found = at(node, path);
        List<JsonNode> items = new ArrayList<>();
        if (found != null && found.isArray()) {
            found.forEach(items::add);
        }
        return items;
    }

    static List<String> texts(JsonNode node, String... path) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array(node, path)) {
            String value = text(item);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    static Double number(JsonNode node, String... path) {
        JsonNode found = at(node, path);
        if (found == null) {
            return null;
        }
        if (found.isNumber()) {
            return found.asDouble();
        }
        if (found.isString()) {
            try {
                return Double.valueOf(found.asString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * An RFC 3339 timestamp; null when absent or unreadable, and null for the year-1 zero value that
     * Go tools write when they do not know the time (OSV's "0001-01-01T00:00:00Z").
     */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Instant value = OffsetDateTime.parse(text.trim()).toInstant();
            return value.isBefore(Instant.parse("1971-01-01T00:00:00Z")) ? null : value;
        } catch (DateTimeParseException e) {
            try {
                Instant value = Instant.parse(text.trim());
                return value.isBefore(Instant.parse("1971-01-01T00:00:00Z")) ? null : value;
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}

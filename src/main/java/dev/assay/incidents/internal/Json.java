package dev.assay.incidents.internal;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Small, null-safe readers over untrusted JSON trees. */
final class Json {

    private Json() {
    }

    /** The text of a scalar field, trimmed; null when absent, null, blank or not a scalar. */
    static String text(JsonNode node, String field) {
        return node == null ? null : scalar(node.path(field));
    }

    static String scalar(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.isString() ? value.stringValue() : value.asString();
        if (text == null) {
            return null;
        }
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * The display text of a field value the way trackers write it: a string, or an object with a
     * {@code name} (priority, component), {@code value} (select list), {@code displayName} (user)
     * or {@code key}; arrays give every element.
     */
    static List<String> texts(JsonNode value) {
        List<String> texts = new ArrayList<>();
        if (value == null || value.isMissingNode() || value.isNull()) {
            return texts;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                texts.addAll(texts(item));
            }
            return texts;
        }
        if (value.isObject()) {
            for (String key : new String[] {"name", "value", "displayName", "key"}) {
                String text = text(value, key);
                if (text != null) {
                    texts.add(text);
                    return texts;
                }
            }
            return texts;
        }
        String text = scalar(value);
        if (text != null) {
            texts.add(text);
        }
        return texts;
    }

    static String first(JsonNode value) {
        List<String> texts = texts(value);
        return texts.isEmpty() ? null : texts.get(0);
    }

    static String cap(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
    }
}

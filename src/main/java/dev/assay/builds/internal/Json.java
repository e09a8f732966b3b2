package dev.assay.builds.internal;

import tools.jackson.databind.JsonNode;

/** Reading optional fields of an upstream document without tripping over JSON nulls. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        return text.isBlank() ? null : text;
    }

    static String text(JsonNode node, String object, String field) {
        return node == null ? null : text(node.get(object), field);
    }

    static Long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return Math.round(value.asDouble());
        }
        if (value.isString() && value.asString().matches("-?\\d{1,18}")) {
            return Long.parseLong(value.asString());
        }
        return null;
    }

    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

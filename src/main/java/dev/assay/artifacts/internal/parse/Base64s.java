package dev.assay.artifacts.internal.parse;

import java.util.Base64;

/** Base64 as signing tools write it: standard or URL-safe alphabet, with or without padding. */
public final class Base64s {

    private Base64s() {
    }

    /** @throws IllegalArgumentException naming the field when the text is not base64 */
    public static byte[] decode(String text, String field) {
        if (text == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        String compact = text.replaceAll("\\s+", "");
        try {
            return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(compact)
                    : Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not base64: " + e.getMessage());
        }
    }
}

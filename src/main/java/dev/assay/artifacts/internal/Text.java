package dev.assay.artifacts.internal;

/** Collected text is capped to its column: a hostile or broken document must not make a row fail to store. */
final class Text {

    private Text() {
    }

    static String cap(String value, int max) {
        if (value == null) {
            return null;
        }
        String clean = value.replace('\u0000', ' ');
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }
}

package dev.assay.common;

import java.util.List;

/**
 * RFC 4180 CSV with formula-injection protection: a cell that a spreadsheet would evaluate
 * (starting with =, +, -, @, tab or carriage return) is prefixed with a single quote, because
 * collected text (service names, titles) is untrusted and CSV files are opened in spreadsheets.
 */
public final class Csv {

    private Csv() {
    }

    public static String render(List<String> header, List<List<?>> rows) {
        var out = new StringBuilder();
        appendRow(out, header);
        for (List<?> row : rows) {
            appendRow(out, row);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && !(value instanceof Number) && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}

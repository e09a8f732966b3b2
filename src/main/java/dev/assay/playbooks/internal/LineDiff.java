package dev.assay.playbooks.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff between two runbook versions: the longest common subsequence of lines, so unchanged
 * lines line up and only the lines really added or removed are marked. Common leading and trailing
 * lines are trimmed first; the table the LCS needs is then (changed lines of a) x (changed lines of b),
 * and beyond {@link #MAX_CELLS} cells the changed middle is shown as removed-then-added instead.
 */
public final class LineDiff {

    /** 4M cells of int: 16 MiB, far above any real runbook's edit. */
    static final long MAX_CELLS = 4_000_000L;

    public enum Kind { SAME, ADDED, REMOVED }

    /** One line of the diff; a line number is null on the side the line is not in. */
    public record Line(Kind kind, Integer oldNumber, Integer newNumber, String text) {

        public String marker() {
            return kind == Kind.ADDED ? "+" : kind == Kind.REMOVED ? "-" : " ";
        }
    }

    /** @param simplified true when the change was too large for a line-by-line alignment */
    public record Result(List<Line> lines, int added, int removed, boolean simplified) {

        public boolean identical() {
            return added == 0 && removed == 0;
        }
    }

    private LineDiff() {
    }

    public static Result diff(String oldText, String newText) {
        return diff(lines(oldText), lines(newText));
    }

    public static Result diff(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            out.add(new Line(Kind.SAME, i + 1, i + 1, a.get(i)));
        }
        List<String> midA = a.subList(prefix, a.size() - suffix);
        List<String> midB = b.subList(prefix, b.size() - suffix);
        boolean simplified = (long) midA.size() * midB.size() > MAX_CELLS;
        if (simplified) {
            for (int i = 0; i < midA.size(); i++) {
                out.add(new Line(Kind.REMOVED, prefix + i + 1, null, midA.get(i)));
            }
            for (int j = 0; j < midB.size(); j++) {
                out.add(new Line(Kind.ADDED, null, prefix + j + 1, midB.get(j)));
            }
        } else {
            align(midA, midB, prefix, out);
        }
        for (int k = 0; k < suffix; k++) {
            int i = a.size() - suffix + k;
            int j = b.size() - suffix + k;
            out.add(new Line(Kind.SAME, i + 1, j + 1, a.get(i)));
        }
        int added = (int) out.stream().filter(l -> l.kind() == Kind.ADDED).count();
        int removed = (int) out.stream().filter(l -> l.kind() == Kind.REMOVED).count();
        return new Result(List.copyOf(out), added, removed, simplified);
    }

    /** Classic LCS table from the end, then a walk from the start; removals are listed before additions. */
    private static void align(List<String> a, List<String> b, int offset, List<Line> out) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                out.add(new Line(Kind.SAME, offset + i + 1, offset + j + 1, a.get(i)));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Line(Kind.REMOVED, offset + i + 1, null, a.get(i)));
                i++;
            } else {
                out.add(new Line(Kind.ADDED, null, offset + j + 1, b.get(j)));
                j++;
            }
        }
    }

    /** Lines without their line ends; CRLF and LF compare equal. An empty text has no lines. */
    static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        if (normalised.endsWith("\n")) {
            normalised = normalised.substring(0, normalised.length() - 1);
        }
        return List.of(normalised.split("\n", -1));
    }
}

package dev.assay.playbooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.assay.playbooks.internal.LineDiff.Kind;

class LineDiffTests {

    @Test
    void alignsUnchangedLinesAndMarksOnlyWhatChanged() {
        LineDiff.Result diff = LineDiff.diff("title\na\nb\nc\nd\n", "title\na\nB\nc\nd\ne\n");

        assertThat(diff.lines()).extracting(LineDiff.Line::kind, LineDiff.Line::oldNumber, LineDiff.Line::newNumber,
                LineDiff.Line::text).containsExactly(
                        tuple(Kind.SAME, 1, 1, "title"),
                        tuple(Kind.SAME, 2, 2, "a"),
                        tuple(Kind.REMOVED, 3, null, "b"),
                        tuple(Kind.ADDED, null, 3, "B"),
                        tuple(Kind.SAME, 4, 4, "c"),
                        tuple(Kind.SAME, 5, 5, "d"),
                        tuple(Kind.ADDED, null, 6, "e"));
        assertThat(diff.added()).isEqualTo(2);
        assertThat(diff.removed()).isEqualTo(1);
        assertThat(diff.simplified()).isFalse();
    }

    @Test
    void findsTheLongestCommonSubsequenceInTheMiddle() {
        LineDiff.Result diff = LineDiff.diff(List.of("a", "b", "c", "a", "b", "b", "a"), List.of("c", "b", "a", "b", "a", "c"));

        // The classic example: an LCS of length 4, so 3 removed and 2 added.
        assertThat(diff.lines().stream().filter(l -> l.kind() == Kind.SAME).count()).isEqualTo(4);
        assertThat(diff.removed()).isEqualTo(3);
        assertThat(diff.added()).isEqualTo(2);
        assertThat(rebuild(diff, true)).containsExactly("a", "b", "c", "a", "b", "b", "a");
        assertThat(rebuild(diff, false)).containsExactly("c", "b", "a", "b", "a", "c");
    }

    @Test
    void identicalEmptyAndCrlfTexts() {
        assertThat(LineDiff.diff("x\r\ny\r\n", "x\ny").identical()).isTrue();
        assertThat(LineDiff.diff("", "").lines()).isEmpty();
        assertThat(LineDiff.diff("", "a\nb").lines()).extracting(LineDiff.Line::kind).containsExactly(Kind.ADDED, Kind.ADDED);
        assertThat(LineDiff.diff("a\nb", "").lines()).extracting(LineDiff.Line::kind).containsExactly(Kind.REMOVED, Kind.REMOVED);
    }

    @Test
    void aHugeRewriteIsShownAsRemovedThenAddedWithoutTheQuadraticTable() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            a.add("old " + i);
            b.add("new " + i);
        }
        a.add("same");
        b.add("same");

        LineDiff.Result diff = LineDiff.diff(a, b);

        assertThat(diff.simplified()).isTrue();
        assertThat(diff.removed()).isEqualTo(2_500);
        assertThat(diff.added()).isEqualTo(2_500);
        assertThat(diff.lines().get(diff.lines().size() - 1)).isEqualTo(new LineDiff.Line(Kind.SAME, 2_501, 2_501, "same"));
    }

    /** Either side can be rebuilt from the diff: nothing lost, nothing invented. */
    private static List<String> rebuild(LineDiff.Result diff, boolean oldSide) {
        return diff.lines().stream().filter(l -> l.kind() == Kind.SAME || l.kind() == (oldSide ? Kind.REMOVED : Kind.ADDED))
                .map(LineDiff.Line::text).toList();
    }
}

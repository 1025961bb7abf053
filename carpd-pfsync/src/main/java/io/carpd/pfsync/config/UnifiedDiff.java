package io.carpd.pfsync.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unified diff (as {@code diff -u} prints it, 3 lines of context) between two texts. Common head
 * and tail are trimmed first; the middle is aligned by longest common subsequence when it is small
 * enough, else shown as one replacement, which is still a correct (if not minimal) diff.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    private static final long MAX_LCS_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    private enum Op { KEEP, DEL, ADD }

    private record Line(Op op, String text, int oldNo, int newNo) {}

    /** "" when equal; binary contents are summarised rather than printed. */
    public static String of(String oldLabel, byte[] oldContent, String newLabel, byte[] newContent) {
        if (Arrays.equals(oldContent, newContent)) {
            return "";
        }
        if (binary(oldContent) || binary(newContent)) {
            return "Binary files " + oldLabel + " and " + newLabel + " differ\n";
        }
        return of(oldLabel, lines(oldContent), newLabel, lines(newContent));
    }

    static String of(String oldLabel, List<String> a, String newLabel, List<String> b) {
        List<Line> script = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldLabel).append('\n').append("+++ ").append(newLabel).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op == Op.KEEP) {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while the next change is within 2*CONTEXT kept lines
            int j = i;
            while (j < script.size()) {
                if (script.get(j).op != Op.KEEP) {
                    end = j;
                    j++;
                    continue;
                }
                int k = j;
                while (k < script.size() && script.get(k).op == Op.KEEP) {
                    k++;
                }
                if (k < script.size() && k - j <= 2 * CONTEXT) {
                    j = k;
                } else {
                    break;
                }
            }
            int stop = Math.min(script.size(), end + 1 + CONTEXT);
            hunk(script.subList(start, stop), out);
            i = stop;
        }
        return out.toString();
    }

    private static void hunk(List<Line> h, StringBuilder out) {
        int oldStart = -1, newStart = -1, oldCount = 0, newCount = 0;
        for (Line l : h) {
            if (l.op != Op.ADD) {
                oldCount++;
                if (oldStart < 0) oldStart = l.oldNo;
            }
            if (l.op != Op.DEL) {
                newCount++;
                if (newStart < 0) newStart = l.newNo;
            }
        }
        // an empty side is numbered by the line before it, as diff -u does
        Line first = h.getFirst();
        int oldBefore = first.oldNo - 1;
        int newBefore = first.newNo - 1;
        out.append("@@ -").append(range(oldCount == 0 ? oldBefore : oldStart, oldCount))
                .append(" +").append(range(newCount == 0 ? newBefore : newStart, newCount)).append(" @@\n");
        for (Line l : h) {
            out.append(switch (l.op) {
                case KEEP -> ' ';
                case DEL -> '-';
                case ADD -> '+';
            }).append(l.text).append('\n');
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    /** The edit script; every line carries the 1-based number it has (or would have) on each side. */
    private static List<Line> script(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> ma = a.subList(head, a.size() - tail);
        List<String> mb = b.subList(head, b.size() - tail);
        List<Op> middle = (long) (ma.size() + 1) * (mb.size() + 1) <= MAX_LCS_CELLS ? lcs(ma, mb) : replace(ma, mb);

        List<Line> out = new ArrayList<>();
        int ai = 0, bi = 0;
        for (int k = 0; k < head; k++) {
            out.add(new Line(Op.KEEP, a.get(ai), ++ai, ++bi));
        }
        for (Op op : middle) {
            switch (op) {
                case KEEP -> out.add(new Line(op, a.get(ai), ++ai, ++bi));
                case DEL -> out.add(new Line(op, a.get(ai), ++ai, bi + 1));
                case ADD -> out.add(new Line(op, b.get(bi), ai + 1, ++bi));
            }
        }
        for (int k = 0; k < tail; k++) {
            out.add(new Line(Op.KEEP, a.get(ai), ++ai, ++bi));
        }
        return out;
    }

    private static List<Op> replace(List<String> a, List<String> b) {
        List<Op> ops = new ArrayList<>();
        a.forEach(x -> ops.add(Op.DEL));
        b.forEach(x -> ops.add(Op.ADD));
        return ops;
    }

    private static List<Op> lcs(List<String> a, List<String> b) {
        int n = a.size(), m = b.size();
        int[][] len = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(Op.KEEP);
                i++;
                j++;
            } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
                ops.add(Op.DEL);
                i++;
            } else {
                ops.add(Op.ADD);
                j++;
            }
        }
        return ops;
    }

    static List<String> lines(byte[] content) {
        String s = new String(content, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        if (s.endsWith("\n")) {
            out.removeLast();
        }
        return out;
    }

    private static boolean binary(byte[] c) {
        for (int i = 0; i < Math.min(c.length, 8000); i++) {
            if (c[i] == 0) {
                return true;
            }
        }
        return false;
    }
}

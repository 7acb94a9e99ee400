package org.fedehr.site.events;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Puts one stay's harmonised events onto the dictionary's regular grid (window {@code [0, window)} minutes after the
 * anchor, bins of {@code binMinutes}), before standardisation:
 * <ul>
 *   <li>events with a negative time (before the anchor) or at/after the window end are dropped and counted;</li>
 *   <li>an event equal to an earlier one of the same concept at the same time (to the second) with the same value
 *       is a duplicate: dropped and counted;</li>
 *   <li>each bin's value is the concept's aggregation (mean, last — latest time, ties to the later-read event —,
 *       min, max, or count) of its events; NaN when the bin has none (count: 0).</li>
 * </ul>
 * Code sets keep the distinct codes that occur inside the window.
 */
public final class Resampler {
    private final EventDictionary dictionary;
    private final int bins;
    private final int binMinutes;
    private final double window;
    private final Aggregation[] agg;
    private final String[] names;
    private HarmonisationReport lastReport;
    private HarmonisationReport.ConceptCounts[] conceptCounts;

    /** Raw grid of one stay: {@code values[t][c]} (NaN when unobserved, count for COUNT concepts). */
    public record Grid(float[][] values, List<TreeSet<String>> codes, boolean empty) {
        public boolean observed(int t, int c, Aggregation a) {
            float v = values[t][c];
            return a == Aggregation.COUNT ? v > 0 : !Float.isNaN(v);
        }
    }

    public Resampler(EventDictionary dictionary) {
        this.dictionary = dictionary;
        this.bins = dictionary.bins();
        this.binMinutes = dictionary.binMinutes();
        this.window = dictionary.windowMinutes();
        this.agg = new Aggregation[dictionary.series().size()];
        for (int i = 0; i < agg.length; i++) agg[i] = dictionary.series().get(i).aggregation();
        this.names = new String[agg.length];
        for (int i = 0; i < agg.length; i++) names[i] = dictionary.series().get(i).name();
    }

    public EventDictionary dictionary() {
        return dictionary;
    }

    /** Aggregates the stay's events into bins, recording drops and kept events in {@code report}. */
    public Grid aggregate(StayEvents stay, HarmonisationReport report) {
        int v = agg.length;
        if (report != lastReport) {
            lastReport = report;
            conceptCounts = new HarmonisationReport.ConceptCounts[v];
            for (int c = 0; c < v; c++) conceptCounts[c] = report.concept(names[c]);
        }
        int n = stay.size();
        long[] keys = new long[n];
        int m = 0;
        boolean packed = n < (1 << 19) && v < (1 << 12);
        for (int i = 0; i < n; i++) {
            double t = stay.minute(i);
            String name = names[stay.concept(i)];
            if (t < 0) {
                report.drop(name, HarmonisationReport.Drop.BEFORE_ANCHOR);
                continue;
            }
            if (t >= window) {
                report.drop(name, HarmonisationReport.Drop.AFTER_WINDOW);
                continue;
            }
            long sec = (long) Math.floor(t * 60.0 + 1e-6);
            keys[m++] = packed ? ((long) stay.concept(i) << 51) | (sec << 19) | i : i;
        }
        if (packed) {
            Arrays.sort(keys, 0, m);
        } else {
            Long[] boxed = new Long[m];
            for (int k = 0; k < m; k++) boxed[k] = keys[k];
            Arrays.sort(boxed, (a, b) -> {
                int ia = (int) (long) a, ib = (int) (long) b;
                int c = Integer.compare(stay.concept(ia), stay.concept(ib));
                if (c != 0) return c;
                c = Double.compare(Math.floor(stay.minute(ia) * 60 + 1e-6), Math.floor(stay.minute(ib) * 60 + 1e-6));
                return c != 0 ? c : Integer.compare(ia, ib);
            });
            for (int k = 0; k < m; k++) keys[k] = boxed[k];
        }
        float[][] grid = new float[bins][v];
        for (float[] row : grid) Arrays.fill(row, Float.NaN);
        int[][] counts = new int[bins][];
        double[][] sums = new double[bins][];
        boolean any = false;
        int prevConcept = -1;
        long prevSec = -1;
        double prevValue = Double.NaN;
        int observedConcept = -1;
        for (int k = 0; k < m; k++) {
            int i = packed ? (int) (keys[k] & ((1 << 19) - 1)) : (int) keys[k];
            int c = stay.concept(i);
            long sec = (long) Math.floor(stay.minute(i) * 60.0 + 1e-6);
            double x = stay.value(i);
            if (c == prevConcept && sec == prevSec && x == prevValue) {
                report.drop(names[c], HarmonisationReport.Drop.DUPLICATE);
                continue;
            }
            prevConcept = c;
            prevSec = sec;
            prevValue = x;
            conceptCounts[c].keep();
            any = true;
            if (observedConcept != c) {
                report.observedStay(names[c]);
                observedConcept = c;
            }
            int b = (int) (stay.minute(i) / binMinutes);
            if (b >= bins) b = bins - 1;
            float cur = grid[b][c];
            switch (agg[c]) {
                case LAST -> grid[b][c] = (float) x;     // sorted by time, ties in reading order
                case MIN -> grid[b][c] = Float.isNaN(cur) ? (float) x : Math.min(cur, (float) x);
                case MAX -> grid[b][c] = Float.isNaN(cur) ? (float) x : Math.max(cur, (float) x);
                case COUNT -> grid[b][c] = Float.isNaN(cur) ? 1f : cur + 1f;
                case MEAN -> {
                    if (counts[b] == null) {
                        counts[b] = new int[v];
                        sums[b] = new double[v];
                    }
                    int cnt = ++counts[b][c];
                    sums[b][c] += x;
                    grid[b][c] = (float) (sums[b][c] / cnt);
                }
            }
        }
        for (int c = 0; c < v; c++) {
            if (agg[c] != Aggregation.COUNT) continue;
            for (int t = 0; t < bins; t++) if (Float.isNaN(grid[t][c])) grid[t][c] = 0f;
        }
        List<TreeSet<String>> codes = new java.util.ArrayList<>(dictionary.codeSets().size());
        for (int s = 0; s < dictionary.codeSets().size(); s++) {
            String name = dictionary.codeSets().get(s).name();
            TreeSet<String> in = new TreeSet<>();
            for (StayEvents.CodeEvent e : stay.codes(s)) {
                if (e.minute() < 0) report.drop(name, HarmonisationReport.Drop.BEFORE_ANCHOR);
                else if (e.minute() >= window) report.drop(name, HarmonisationReport.Drop.AFTER_WINDOW);
                else {
                    report.kept(name);
                    in.add(e.code());
                }
            }
            if (!in.isEmpty()) {
                report.observedStay(name);
                any = true;
            }
            codes.add(in);
        }
        return new Grid(grid, codes, !any);
    }
}

package org.fedehr.site.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Deterministic seeded train/test split. Rows are grouped by label when stratifying (one group otherwise); each
 * group, in label order, is shuffled with one {@code java.util.Random(seed)} (Fisher–Yates) and its first
 * {@code round(testFraction × size)} rows go to test. Both outputs are in file order.
 */
public final class SeededSplit {
    private SeededSplit() {
    }

    /** Splits {@code rows} into {@code train} and {@code test} (both appended to, each in line order). */
    public static void apply(List<Row> rows, SplitSpec.Seeded spec, List<Row> train, List<Row> test) {
        TreeMap<Float, List<Row>> groups = new TreeMap<>();
        for (Row r : rows) groups.computeIfAbsent(spec.stratify() ? r.label() : 0f, k -> new ArrayList<>()).add(r);
        Random rnd = new Random(spec.seed());
        List<Row> tr = new ArrayList<>();
        List<Row> te = new ArrayList<>();
        for (List<Row> g : groups.values()) {
            List<Row> shuffled = new ArrayList<>(g);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Row tmp = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, tmp);
            }
            int nTest = (int) Math.round(spec.testFraction() * shuffled.size());
            te.addAll(shuffled.subList(0, nTest));
            tr.addAll(shuffled.subList(nTest, shuffled.size()));
        }
        tr.sort(Comparator.comparingInt(Row::line));
        te.sort(Comparator.comparingInt(Row::line));
        train.addAll(tr);
        test.addAll(te);
    }
}

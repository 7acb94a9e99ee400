package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * The resampled stays of one site (or one split of it), in a fixed order, with accessors shaped for DL4J:
 * {@link #features()} is {@code [stays][bins][channels]}, {@link #featuresChannelsFirst()} is
 * {@code [stays][channels][bins]} (DL4J's recurrent input layout {@code [minibatch, features, time]}).
 */
public record SequenceDataset(ChannelLayout layout, List<StaySequence> stays) {

    public SequenceDataset {
        if (layout == null) throw new IllegalArgumentException("layout must not be null");
        if (stays == null) throw new IllegalArgumentException("stays must not be null");
        stays = List.copyOf(stays);
        for (StaySequence s : stays) s.requireLayout(layout);
    }

    public int size() {
        return stays.size();
    }

    public boolean isEmpty() {
        return stays.isEmpty();
    }

    /** {@code [stays][bins][channels]} (the stays' own arrays, not copies). */
    public float[][][] features() {
        float[][][] out = new float[stays.size()][][];
        for (int i = 0; i < out.length; i++) out[i] = stays.get(i).features();
        return out;
    }

    /** {@code [stays][channels][bins]}: a transposed copy. */
    public float[][][] featuresChannelsFirst() {
        int b = layout.bins(), c = layout.channels();
        float[][][] out = new float[stays.size()][c][b];
        for (int i = 0; i < out.length; i++) {
            float[][] f = stays.get(i).features();
            for (int t = 0; t < b; t++) for (int k = 0; k < c; k++) out[i][k][t] = f[t][k];
        }
        return out;
    }

    public int[] labels() {
        int[] out = new int[stays.size()];
        for (int i = 0; i < out.length; i++) out[i] = stays.get(i).label();
        return out;
    }

    /** {@code [stays][labelClasses]} one-hot labels. */
    public float[][] labelsOneHot() {
        float[][] out = new float[stays.size()][layout.labelClasses()];
        for (int i = 0; i < out.length; i++) out[i][stays.get(i).label()] = 1f;
        return out;
    }

    public float[][] statics() {
        float[][] out = new float[stays.size()][];
        for (int i = 0; i < out.length; i++) out[i] = stays.get(i).statics();
        return out;
    }

    public float[][] summaries() {
        float[][] out = new float[stays.size()][];
        for (int i = 0; i < out.length; i++) out[i] = stays.get(i).summary();
        return out;
    }

    /** Number of stays per class, index = class. */
    public long[] classCounts() {
        long[] out = new long[layout.labelClasses()];
        for (StaySequence s : stays) out[s.label()]++;
        return out;
    }

    /**
     * A deterministic split, stratified by label: stays are ordered by id, grouped by class (in class order), each
     * group shuffled with one {@code Random(seed)} (Fisher–Yates) and its first {@code round(testFraction × size)}
     * stays go to the test set. Both halves are ordered by stay id.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1))
            throw new IllegalArgumentException("testFraction must be in [0, 1), was " + testFraction);
        TreeMap<Integer, List<StaySequence>> groups = new TreeMap<>();
        List<StaySequence> sorted = new ArrayList<>(stays);
        sorted.sort(Comparator.comparing(StaySequence::stayId));
        for (StaySequence s : sorted) groups.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
        Random rnd = new Random(seed);
        List<StaySequence> train = new ArrayList<>(), test = new ArrayList<>();
        for (List<StaySequence> g : groups.values()) {
            for (int i = g.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                StaySequence tmp = g.get(i);
                g.set(i, g.get(j));
                g.set(j, tmp);
            }
            int nTest = (int) Math.round(testFraction * g.size());
            test.addAll(g.subList(0, nTest));
            train.addAll(g.subList(nTest, g.size()));
        }
        train.sort(Comparator.comparing(StaySequence::stayId));
        test.sort(Comparator.comparing(StaySequence::stayId));
        return new Split(new SequenceDataset(layout, train), new SequenceDataset(layout, test));
    }

    /** Train and test halves of a site's stays. */
    public record Split(SequenceDataset train, SequenceDataset test) {
    }
}

package org.fedehr.simulations.inprocess;

import org.fedehr.site.SiteRows;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The scale benchmark's fixed workload, generated from a seed and nothing else: every site holds between
 * {@link #MIN_ROWS} and {@link #MAX_ROWS} training rows (uniform per site), each with {@link #FEATURES} standard-normal
 * features, and a label drawn from one fixed logistic model {@code P(y=1|x) = sigmoid(w.x + b)} whose weights are
 * standard-normal draws from the seed. Site {@code i}'s rows come from its own generator, so a site can be generated
 * (again) at any time, alone, in any order. Sites hold no test rows; {@link #heldOut} draws test rows from the same model.
 */
public final class SyntheticLogisticSites {
    public static final int FEATURES = 13;
    public static final int MIN_ROWS = 45;
    public static final int MAX_ROWS = 55;

    private final long seed;
    private final double[] weights = new double[FEATURES];
    private final double bias;
    private final FeatureDictionary dictionary;

    public SyntheticLogisticSites(long seed) {
        this.seed = seed;
        SplittableRandom model = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int j = 0; j < FEATURES; j++) weights[j] = model.nextGaussian();
        this.bias = model.nextGaussian();
        List<Feature> features = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) features.add(new Feature(featureName(j), FeatureType.NUMERIC));
        this.dictionary = new FeatureDictionary(features, 1);
    }

    static String featureName(int j) {
        return String.format(Locale.ROOT, "x%02d", j + 1);
    }

    /** The 13 numeric features, in order. */
    public FeatureDictionary dictionary() {
        return dictionary;
    }

    /** {@code site-00042} for index 42 (zero-padded to the width of {@code sites - 1}, so ids sort like indices). */
    public static String siteId(int index, int sites) {
        int width = Math.max(1, String.valueOf(Math.max(0, sites - 1)).length());
        return "site-" + String.format(Locale.ROOT, "%0" + width + "d", index);
    }

    /** The generator of site {@code index}: the first draw is its row count, the rest its rows. */
    private SplittableRandom siteRandom(int index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
    }

    /** How many training rows site {@code index} holds (without generating them). */
    public int rowCount(int index) {
        if (index < 0) throw new IllegalArgumentException("site index must be >= 0, was " + index);
        return MIN_ROWS + siteRandom(index).nextInt(MAX_ROWS - MIN_ROWS + 1);
    }

    /** Site {@code index}'s training rows, generated now. */
    public List<Row> rows(int index) {
        SplittableRandom r = siteRandom(index);
        int n = MIN_ROWS + r.nextInt(MAX_ROWS - MIN_ROWS + 1);
        return draw(r, n);
    }

    /** Rows held out from every site, from the same model (their own generator): for measuring the trained model. */
    public List<Row> heldOut(int n) {
        return draw(new SplittableRandom(~seed * 0xD6E8FEB86659FD93L), n);
    }

    private List<Row> draw(SplittableRandom r, int n) {
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String[] v = new String[FEATURES];
            double z = bias;
            for (int j = 0; j < FEATURES; j++) {
                double x = Math.round(r.nextGaussian() * 10_000) / 10_000.0;   // 4 decimals, as a data file would hold them
                z += weights[j] * x;
                v[j] = decimal4(x);
            }
            float y = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
            out.add(new Row(i + 1, v, y));
        }
        return out;
    }

    /** {@code x} (a multiple of 1e-4) with exactly 4 decimals, e.g. {@code -0.0123}; parses back to the same double. */
    static String decimal4(double x) {
        long q = Math.round(Math.abs(x) * 10_000);
        StringBuilder sb = new StringBuilder(12);
        if (x < 0 && q != 0) sb.append('-');
        sb.append(q / 10_000).append('.');
        long frac = q % 10_000;
        if (frac < 1000) sb.append('0');
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        return sb.append(frac).toString();
    }

    /** Accuracy of the generating model itself on {@code rows} (the best any classifier can expect, up to noise). */
    public double trueModelAccuracy(List<Row> rows) {
        if (rows.isEmpty()) return Double.NaN;
        int correct = 0;
        for (Row row : rows) {
            double z = bias;
            for (int j = 0; j < FEATURES; j++) z += weights[j] * Double.parseDouble(row.value(j));
            if ((z >= 0 ? 1f : 0f) == row.label()) correct++;
        }
        return correct / (double) rows.size();
    }

    /**
     * Site {@code index}'s records for its node: the row count is known at once (the policy may check it), the rows are
     * generated on first read and kept only as long as this object, i.e. as long as the site is materialised.
     */
    public SiteRows siteRows(int index) {
        int n = rowCount(index);
        return new SiteRows() {
            private List<Row> train;

            @Override
            public int trainSize() {
                return n;
            }

            @Override
            public int testSize() {
                return 0;
            }

            @Override
            public synchronized List<Row> train() {
                if (train == null) train = List.copyOf(rows(index));
                return train;
            }

            @Override
            public List<Row> test() {
                return List.of();
            }
        };
    }
}

package org.fedehr.simulations.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded assignments of row indices 0..n-1 to sites. Each method returns one sorted index array per site; every
 * index appears in exactly one of them. One {@code java.util.Random(seed)} drives each method, in the order its
 * documentation states, so a seed gives the same partition on every JVM.
 */
public final class Partitioners {
    private Partitioners() {
    }

    /** Fisher–Yates shuffle of 0..n-1 with {@code rnd} (from the last position down). */
    static int[] shuffled(int n, Random rnd) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        shuffle(idx, rnd);
        return idx;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** IID: shuffle, then contiguous parts; the first {@code n mod sites} sites get one row more (sizes differ by ≤ 1). */
    public static List<int[]> iid(int n, int sites, long seed) {
        requireSites(sites);
        int[] order = shuffled(n, new Random(seed));
        int[] sizes = new int[sites];
        for (int s = 0; s < sites; s++) sizes[s] = n / sites + (s < n % sites ? 1 : 0);
        return cut(order, sizes);
    }

    /**
     * Label skew (Hsu et al. 2019): for each label value in increasing order, its rows (in index order) are shuffled,
     * proportions q ~ Dirichlet(α, …, α) over the sites are drawn, and the class's rows are dealt in contiguous parts
     * of sizes {@link #largestRemainder}(q, n_class) to sites 1..k.
     */
    public static List<int[]> dirichletLabel(float[] labels, int sites, double alpha, long seed) {
        requireSites(sites);
        Random rnd = new Random(seed);
        TreeMap<Float, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        List<List<Integer>> out = new ArrayList<>();
        for (int s = 0; s < sites; s++) out.add(new ArrayList<>());
        for (List<Integer> members : byClass.values()) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, rnd);
            int[] sizes = largestRemainder(dirichlet(rnd, sites, alpha), idx.length);
            int off = 0;
            for (int s = 0; s < sites; s++) {
                for (int j = 0; j < sizes[s]; j++) out.get(s).add(idx[off + j]);
                off += sizes[s];
            }
        }
        List<int[]> parts = new ArrayList<>();
        for (List<Integer> l : out) {
            int[] a = l.stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(a);
            parts.add(a);
        }
        return parts;
    }

    /**
     * Quantity skew with Dirichlet sizes: proportions p ~ Dirichlet(α, …, α) are drawn first, each site gets
     * {@code minRows} plus its {@link #largestRemainder} share of the other rows; then the rows are shuffled and cut.
     */
    public static List<int[]> quantityDirichlet(int n, int sites, double alpha, int minRows, long seed) {
        requireSites(sites);
        Random rnd = new Random(seed);
        return cut(shuffledLater(n, rnd, sizes(dirichlet(rnd, sites, alpha), n, minRows)));
    }

    /**
     * Quantity skew with power-law sizes: site i (1-based) has share ∝ i^-γ; each site gets {@code minRows} plus its
     * {@link #largestRemainder} share of the other rows; then the rows are shuffled with Random(seed) and cut.
     * Example: 100 rows, 4 sites, γ = 1, min 0: shares 1, 1/2, 1/3, 1/4 of 25/12, sizes 48, 24, 16, 12.
     */
    public static List<int[]> quantityPower(int n, int sites, double gamma, int minRows, long seed) {
        requireSites(sites);
        double[] w = new double[sites];
        double sum = 0;
        for (int i = 0; i < sites; i++) sum += w[i] = Math.pow(i + 1, -gamma);
        for (int i = 0; i < sites; i++) w[i] /= sum;
        return cut(shuffledLater(n, new Random(seed), sizes(w, n, minRows)));
    }

    private record Cut(int[] order, int[] sizes) {
    }

    private static Cut shuffledLater(int n, Random rnd, int[] sizes) {
        return new Cut(shuffled(n, rnd), sizes);
    }

    private static List<int[]> cut(Cut c) {
        return cut(c.order, c.sizes);
    }

    static int[] sizes(double[] shares, int n, int minRows) {
        long floor = (long) minRows * shares.length;
        if (floor > n)
            throw new IllegalArgumentException("min_rows " + minRows + " × " + shares.length + " sites = " + floor
                    + " exceeds the " + n + " rows to partition");
        int[] extra = largestRemainder(shares, n - (int) floor);
        for (int i = 0; i < extra.length; i++) extra[i] += minRows;
        return extra;
    }

    private static List<int[]> cut(int[] order, int[] sizes) {
        List<int[]> out = new ArrayList<>();
        int off = 0;
        for (int size : sizes) {
            int[] part = Arrays.copyOfRange(order, off, off + size);
            Arrays.sort(part);
            out.add(part);
            off += size;
        }
        if (off != order.length) throw new IllegalStateException("sizes sum to " + off + ", expected " + order.length);
        return out;
    }

    /**
     * Integer sizes summing to {@code total}, as close to {@code shares × total} as possible (Hamilton's method): each
     * gets the floor of its quota, the rows left over go one each to the largest fractional remainders (ties: lower index).
     */
    public static int[] largestRemainder(double[] shares, int total) {
        double sum = 0;
        for (double s : shares) {
            if (!(s >= 0) || !Double.isFinite(s)) throw new IllegalArgumentException("shares must be finite and >= 0, was " + Arrays.toString(shares));
            sum += s;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("shares must not all be 0");
        int[] out = new int[shares.length];
        double[] rem = new double[shares.length];
        int given = 0;
        for (int i = 0; i < shares.length; i++) {
            double q = shares[i] / sum * total;
            out[i] = (int) Math.floor(q);
            rem[i] = q - out[i];
            given += out[i];
        }
        Integer[] order = new Integer[shares.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Double.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int k = 0; given < total; k++, given++) out[order[k % order.length]]++;
        return out;
    }

    /**
     * One draw from Dirichlet(α, …, α) of dimension k: k Gamma(α) draws (Marsaglia–Tsang; for α &lt; 1 boosted as
     * Gamma(α+1)·U^(1/α)), computed as logarithms so that tiny α does not underflow to all zeros, then normalised.
     */
    public static double[] dirichlet(Random rnd, int k, double alpha) {
        if (!(alpha > 0)) throw new IllegalArgumentException("alpha must be > 0, was " + alpha);
        double[] logs = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) max = Math.max(max, logs[i] = logGamma(rnd, alpha));
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) sum += p[i] = Math.exp(logs[i] - max);
        for (int i = 0; i < k; i++) p[i] /= sum;
        return p;
    }

    /** log of one Gamma(a, 1) draw. */
    static double logGamma(Random rnd, double a) {
        if (a < 1) {
            double boosted = logGamma(rnd, a + 1);
            return boosted + Math.log(1 - rnd.nextDouble()) / a;   // 1 - U is in (0, 1]: no log(0)
        }
        double d = a - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rnd.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1 - rnd.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return Math.log(d * v);
        }
    }

    private static void requireSites(int sites) {
        if (sites < 1) throw new IllegalArgumentException("sites must be >= 1, was " + sites);
    }
}

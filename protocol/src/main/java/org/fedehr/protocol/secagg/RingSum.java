package org.fedehr.protocol.secagg;

/** Element-wise arithmetic in the ring Z<sub>2<sup>32</sup></sub> (Java {@code int} wrap-around). */
public final class RingSum {

    private RingSum() {
    }

    /** acc[i] += v[i] (mod 2^32) for every i. */
    public static void add(int[] acc, int[] v) {
        if (acc.length != v.length) throw new IllegalArgumentException("length mismatch: " + acc.length + " vs " + v.length);
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }

    /** acc[i] -= v[i] (mod 2^32) for every i. */
    public static void subtract(int[] acc, int[] v) {
        if (acc.length != v.length) throw new IllegalArgumentException("length mismatch: " + acc.length + " vs " + v.length);
        for (int i = 0; i < acc.length; i++) acc[i] -= v[i];
    }
}

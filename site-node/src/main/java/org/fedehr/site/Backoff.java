package org.fedehr.site;

/**
 * Capped exponential backoff: the pause after the n-th failure in a row is {@code firstMs * 2^(n-1)}, at most
 * {@code maxMs}. Used by the site node for polls and for registration.
 *
 * @param firstMs pause after the first failure, &gt;= 0
 * @param maxMs   cap, &gt;= firstMs
 */
public record Backoff(long firstMs, long maxMs) {
    /** Polls: 200 ms, 400 ms, ... capped at 5 s. */
    public static final Backoff POLL = new Backoff(200, 5_000);
    /** Registration while the coordinator is not up yet: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
    public static final Backoff REGISTRATION = new Backoff(1_000, 10_000);

    public Backoff {
        if (firstMs < 0) throw new IllegalArgumentException("firstMs must be >= 0, was " + firstMs);
        if (maxMs < firstMs) throw new IllegalArgumentException("maxMs must be >= firstMs (" + firstMs + "), was " + maxMs);
    }

    /** Pause after the {@code failures}-th failure in a row (failures &gt;= 1). */
    public long delayMs(int failures) {
        if (failures < 1) throw new IllegalArgumentException("failures must be >= 1, was " + failures);
        int shift = failures - 1;
        if (shift >= 62 || firstMs > maxMs >> shift) return maxMs;
        return Math.min(maxMs, firstMs << shift);
    }
}

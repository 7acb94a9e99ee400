package org.fedehr.coordinator;

import java.time.Duration;

/**
 * When a round may close: at least {@code quorum} successful updates, then up to {@code grace} more for the
 * others; never later than {@code deadline} after the round opened. A round below quorum at the deadline
 * fails with a reason, it never stalls.
 *
 * @param rounds          number of training rounds
 * @param minSites        sites that must register before the run starts
 * @param quorum          minimum successful updates for a round to aggregate
 * @param deadline        longest time a round (or statistics/evaluation phase) stays open
 * @param grace           extra wait for stragglers once the quorum is met
 * @param registrationTimeout how long to wait for minSites to register
 */
public record RoundPolicy(int rounds, int minSites, int quorum, Duration deadline, Duration grace,
                          Duration registrationTimeout) {
    public RoundPolicy {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        if (minSites < 1) throw new IllegalArgumentException("minSites must be >= 1, was " + minSites);
        if (quorum < 1) throw new IllegalArgumentException("quorum must be >= 1, was " + quorum);
        if (deadline == null || deadline.isNegative() || deadline.isZero())
            throw new IllegalArgumentException("deadline must be > 0, was " + deadline);
        if (grace == null || grace.isNegative()) throw new IllegalArgumentException("grace must be >= 0, was " + grace);
        if (registrationTimeout == null || registrationTimeout.isNegative() || registrationTimeout.isZero())
            throw new IllegalArgumentException("registrationTimeout must be > 0, was " + registrationTimeout);
    }
}

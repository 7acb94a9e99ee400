package org.fedehr.site;

/**
 * Changes a site's trained parameter delta before it is weighted, clipped and masked: how a simulation makes a
 * site misbehave (sign-flipped, scaled or random updates) or fail in its trainer. A deployed site node has none.
 * Called on the site's worker thread with a copy of the delta; may throw, which the node reports as its failure
 * for the round (the coordinator records the exception class).
 */
@FunctionalInterface
public interface UpdateTransform {
    /** @return the delta to send for {@code round} (same length), given the honestly trained {@code delta} */
    float[] apply(int round, float[] delta);
}

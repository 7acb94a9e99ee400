package org.fedehr.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Base of the aggregators that are robust to misbehaving sites (median, trimmed mean, Krum). They look at every
 * site's own update, unweighted by rows (a site's row count is its own claim and cannot buy it influence), so they
 * cannot work on the secure sum: {@link #worksOnMeans()} is false and a run that combines them with secure
 * aggregation is refused up front ({@link RunSettings}). The new global model is the global plus the robust
 * aggregate of the deltas. Updates are taken in site-id order, so ties and results do not depend on arrival order.
 */
public abstract class RobustAggregator implements Strategy {

    @Override
    public final boolean worksOnMeans() {
        return false;
    }

    /** The robust aggregate of the deltas (each of the model's length, in site-id order), or a reason why none. */
    protected abstract Result aggregateDeltas(List<float[]> deltas, List<String> sites);

    /** An aggregate delta, or a failure reason. */
    protected record Result(double[] delta, String failure) {
        static Result of(double[] delta) {
            return new Result(delta, null);
        }

        static Result none(String why) {
            return new Result(null, why);
        }
    }

    @Override
    public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
        List<SiteUpdate> sorted = new ArrayList<>();
        for (SiteUpdate u : updates) if (u.weight() > 0) sorted.add(u);
        if (sorted.isEmpty()) return Aggregation.none(updates.isEmpty() ? "0 successful updates" : "total weight 0");
        sorted.sort(Comparator.comparing(SiteUpdate::siteId));
        List<float[]> deltas = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        for (SiteUpdate u : sorted) {
            if (u.delta().length != global.length)
                throw new IllegalArgumentException("update of site " + u.siteId() + " has length " + u.delta().length + ", expected " + global.length);
            deltas.add(u.delta());
            sites.add(u.siteId());
        }
        Result r = aggregateDeltas(deltas, sites);
        if (r.delta() == null) return Aggregation.none(name() + ": " + r.failure());
        float[] next = new float[global.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = (float) (global[i] + r.delta()[i]);
            if (!Float.isFinite(next[i])) return Aggregation.none(name() + ": aggregate is not finite at index " + i);
        }
        return Aggregation.of(next);
    }
}

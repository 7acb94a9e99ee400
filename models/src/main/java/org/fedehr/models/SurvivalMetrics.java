package org.fedehr.models;

/**
 * Metrics for survival models whose scores are risks (higher = earlier expected event), such as the linear score of
 * a Cox model.
 *
 * <p>Events must be exactly 0 (censored) or 1 (event observed). Error messages name the offending index, never the
 * value (the inputs are patient-level data).
 */
public final class SurvivalMetrics {

    private SurvivalMetrics() {
    }

    /** Counts behind a concordance index: comparable pairs, concordant ones, and ties in the risk score. */
    public record Concordance(long comparable, long concordant, long tiedRisk) {
        /** (concordant + ties / 2) / comparable, or {@code null} when no pair is comparable (never NaN). */
        public Double index() {
            return comparable == 0 ? null : (concordant + 0.5 * tiedRisk) / comparable;
        }
    }

    /**
     * Harrell's concordance index, as {@code lifelines.utils.concordance_index(time, -risk, event)} (FLamby's metric):
     * a pair (i, j) is comparable when the earlier of the two had an event — {@code event_i = 1} and
     * {@code time_i < time_j}, or equal times with j censored (a censored row outlives an event at its own time);
     * two events at the same time, and pairs whose earlier member is censored, are not comparable. A comparable pair
     * is concordant when {@code risk_i > risk_j}, and counts 1/2 when the risks are equal.
     *
     * @return the C-index, or {@code null} when no pair is comparable (e.g. no events)
     * @throws IllegalArgumentException if the arrays differ in length, a risk or time is NaN, or an event is not 0 or 1
     */
    public static Double concordanceIndex(float[] risk, float[] time, float[] event) {
        return concordance(risk, time, event).index();
    }

    /** The pair counts behind {@link #concordanceIndex}; O(n²), ample for test splits of a few thousand rows. */
    public static Concordance concordance(float[] risk, float[] time, float[] event) {
        if (risk == null || time == null || event == null) {
            throw new IllegalArgumentException("risk, time and event must not be null");
        }
        if (time.length != risk.length || event.length != risk.length) {
            throw new IllegalArgumentException("risk, time and event must have the same length, got "
                    + risk.length + ", " + time.length + " and " + event.length);
        }
        for (int i = 0; i < risk.length; i++) {
            if (Float.isNaN(risk[i])) {
                throw new IllegalArgumentException("risk[" + i + "] must not be NaN");
            }
            if (Float.isNaN(time[i])) {
                throw new IllegalArgumentException("time[" + i + "] must not be NaN");
            }
            if (event[i] != 0f && event[i] != 1f) {
                throw new IllegalArgumentException("event[" + i + "] must be 0 or 1");
            }
        }
        long comparable = 0;
        long concordant = 0;
        long tied = 0;
        int n = risk.length;
        for (int i = 0; i < n; i++) {
            if (event[i] != 1f) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                boolean usable = time[i] < time[j] || (time[i] == time[j] && event[j] == 0f);
                if (!usable) {
                    continue;
                }
                comparable++;
                if (risk[i] > risk[j]) {
                    concordant++;
                } else if (risk[i] == risk[j]) {
                    tied++;
                }
            }
        }
        return new Concordance(comparable, concordant, tied);
    }
}

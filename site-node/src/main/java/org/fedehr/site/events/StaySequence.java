package org.fedehr.site.events;

/**
 * One resampled stay: the dense sequence {@code [bins][channels]} (values, masks, times since last observation, see
 * {@link ChannelLayout}), the static columns, the per-window summary vector for an MLP, and the label. The arrays are
 * owned by this record (not copied on access: treat them as read-only).
 *
 * @param stayId  the site's local stay id (never leaves the site)
 * @param label   class index in {@code [0, labelClasses)}; for a binary task 1 = positive
 * @param features {@code [bins][channels]}
 * @param statics static columns
 * @param summary per-window summary, {@link ChannelLayout#summarySize()} values
 */
public record StaySequence(String stayId, int label, float[][] features, float[] statics, float[] summary) {

    public StaySequence {
        if (stayId == null || stayId.isEmpty()) throw new IllegalArgumentException("stayId must not be empty");
        if (label < 0) throw new IllegalArgumentException("label must be >= 0, was " + label);
        if (features == null || features.length == 0) throw new IllegalArgumentException("features must have >= 1 bin");
        int c = features[0].length;
        for (int t = 0; t < features.length; t++)
            if (features[t] == null || features[t].length != c)
                throw new IllegalArgumentException("features[" + t + "] must have " + c + " channels");
        if (statics == null) throw new IllegalArgumentException("statics must not be null");
        if (summary == null) throw new IllegalArgumentException("summary must not be null");
    }

    public int bins() {
        return features.length;
    }

    public int channels() {
        return features[0].length;
    }

    /** Checks the arrays against a layout (throws naming the mismatch). */
    public void requireLayout(ChannelLayout layout) {
        if (bins() != layout.bins()) throw new IllegalArgumentException("stay has " + bins() + " bins, layout " + layout.bins());
        if (channels() != layout.channels())
            throw new IllegalArgumentException("stay has " + channels() + " channels, layout " + layout.channels());
        if (statics.length != layout.staticCount())
            throw new IllegalArgumentException("stay has " + statics.length + " statics, layout " + layout.staticCount());
        if (summary.length != layout.summarySize())
            throw new IllegalArgumentException("stay has " + summary.length + " summary values, layout " + layout.summarySize());
        if (label >= layout.labelClasses())
            throw new IllegalArgumentException("label " + label + " outside [0, " + layout.labelClasses() + ")");
    }
}

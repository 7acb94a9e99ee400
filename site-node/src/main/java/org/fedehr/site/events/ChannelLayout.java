package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.List;

/**
 * The federation-wide layout of a resampled stay; identical at every site once the harmoniser is fitted on the
 * federated statistics.
 *
 * <p><b>Sequence</b> ({@link StaySequence#features()}, {@code [bins][channels()]}, bin t covers minutes
 * {@code [t·binMinutes, (t+1)·binMinutes)} after the anchor) — with V = {@code concepts().size()} time-varying
 * numeric concepts in dictionary order:
 * <ul>
 *   <li>channels {@code [0, V)}: the concept's standardised value in the bin ((x − μ)/σ clipped to ±6, with the federated μ, σ of
 *       the aggregated bin values); a bin without an observation carries the last observed bin's value forward while
 *       the gap is at most the concept's {@code max_gap}, otherwise 0 (the global mean);</li>
 *   <li>channels {@code [V, 2V)}: observation mask, 1 when the concept was observed in the bin (forward-filled bins
 *       have mask 0);</li>
 *   <li>channels {@code [2V, 3V)}: time since the last observation, in bins divided by {@code bins} (0 in an
 *       observed bin; {@code (t − last)/bins} after one; {@code (t + 1)/bins} before the first observation).</li>
 * </ul>
 * <p><b>Statics</b> ({@link StaySequence#statics()}, {@code statics().size()} values): per numeric static its
 * standardised value (0 when missing) then a missing indicator; per categorical static one column per federated
 * category then {@code other}; per code set one column per federated code (multi-hot, any occurrence in the window)
 * then {@code other}. {@link #staticNames()} names every column.
 * <p><b>Summary</b> ({@link StaySequence#summary()}, for an MLP): per concept, over its observed bins, the mean,
 * minimum, maximum and last standardised value and the fraction of bins observed (0 for all five when never
 * observed), then the statics: {@code 5·V + statics} values, named by {@link #summaryNames()}.
 *
 * @param concepts    time-varying numeric concepts (channel order)
 * @param bins        number of bins in the window
 * @param binMinutes  bin width in minutes
 * @param staticNames names of the static columns
 * @param labelClasses number of label classes (2 for a binary task)
 */
public record ChannelLayout(List<String> concepts, int bins, int binMinutes, List<String> staticNames, int labelClasses) {

    /** Summary statistics per concept, in this order. */
    public static final List<String> SUMMARY_PARTS = List.of("mean", "min", "max", "last", "observed");

    public ChannelLayout {
        if (concepts == null) throw new IllegalArgumentException("concepts must not be null");
        if (staticNames == null) throw new IllegalArgumentException("staticNames must not be null");
        if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, was " + bins);
        if (binMinutes < 1) throw new IllegalArgumentException("binMinutes must be >= 1, was " + binMinutes);
        if (labelClasses < 2) throw new IllegalArgumentException("labelClasses must be >= 2, was " + labelClasses);
        concepts = List.copyOf(concepts);
        staticNames = List.copyOf(staticNames);
    }

    /** V: number of time-varying concepts. */
    public int valueChannels() {
        return concepts.size();
    }

    /** 3·V: values, masks, times since last observation. */
    public int channels() {
        return 3 * concepts.size();
    }

    public int valueChannel(int concept) {
        return checkConcept(concept);
    }

    public int maskChannel(int concept) {
        return concepts.size() + checkConcept(concept);
    }

    public int deltaChannel(int concept) {
        return 2 * concepts.size() + checkConcept(concept);
    }

    public int staticCount() {
        return staticNames.size();
    }

    public int summarySize() {
        return SUMMARY_PARTS.size() * concepts.size() + staticNames.size();
    }

    /** Channel names: {@code hr}, …, {@code mask:hr}, …, {@code dt:hr}, …. */
    public List<String> channelNames() {
        List<String> out = new ArrayList<>(channels());
        out.addAll(concepts);
        for (String c : concepts) out.add("mask:" + c);
        for (String c : concepts) out.add("dt:" + c);
        return out;
    }

    /** Summary names: {@code mean:hr}, {@code min:hr}, … per concept, then the static names. */
    public List<String> summaryNames() {
        List<String> out = new ArrayList<>(summarySize());
        for (String c : concepts) for (String p : SUMMARY_PARTS) out.add(p + ":" + c);
        out.addAll(staticNames);
        return out;
    }

    private int checkConcept(int concept) {
        if (concept < 0 || concept >= concepts.size())
            throw new IllegalArgumentException("concept must be in [0, " + concepts.size() + "), was " + concept);
        return concept;
    }
}

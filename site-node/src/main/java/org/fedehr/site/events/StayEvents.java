package org.fedehr.site.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The harmonised events of one stay, before resampling: numeric events already mapped to a dictionary concept and
 * converted to its canonical unit, times in minutes after the anchor; codes per code set with their times; raw
 * static values (NaN / null when missing); the label (-1 when missing). Built by an {@link EventSource}, consumed
 * by the {@link Resampler}; one stay at a time.
 */
public final class StayEvents {
    private final String stayId;
    private int label = -1;
    private final double[] numericStatics;
    private final String[] categoricalStatics;
    private int n;
    private int[] concept = new int[64];
    private double[] minute = new double[64];
    private double[] value = new double[64];
    private final List<List<CodeEvent>> codes;

    /** One code of a code set at a time after the anchor. */
    public record CodeEvent(double minute, String code) {
    }

    public StayEvents(String stayId, EventDictionary dictionary) {
        if (stayId == null || stayId.isEmpty()) throw new IllegalArgumentException("stayId must not be empty");
        this.stayId = stayId;
        this.numericStatics = new double[dictionary.statics().size()];
        Arrays.fill(numericStatics, Double.NaN);
        this.categoricalStatics = new String[dictionary.statics().size()];
        this.codes = new ArrayList<>(dictionary.codeSets().size());
        for (int i = 0; i < dictionary.codeSets().size(); i++) codes.add(new ArrayList<>());
    }

    public String stayId() {
        return stayId;
    }

    public int label() {
        return label;
    }

    public void label(int label) {
        if (label < -1) throw new IllegalArgumentException("label must be >= -1, was " + label);
        this.label = label;
    }

    /** Adds a numeric event: concept index in the dictionary's series, minutes after the anchor, canonical value. */
    public void add(int conceptIndex, double minutesAfterAnchor, double canonicalValue) {
        if (n == concept.length) {
            int cap = n * 2;
            concept = Arrays.copyOf(concept, cap);
            minute = Arrays.copyOf(minute, cap);
            value = Arrays.copyOf(value, cap);
        }
        concept[n] = conceptIndex;
        minute[n] = minutesAfterAnchor;
        value[n] = canonicalValue;
        n++;
    }

    public void addCode(int codeSetIndex, double minutesAfterAnchor, String code) {
        codes.get(codeSetIndex).add(new CodeEvent(minutesAfterAnchor, code));
    }

    public void numericStatic(int staticIndex, double v) {
        numericStatics[staticIndex] = v;
    }

    public void categoricalStatic(int staticIndex, String v) {
        categoricalStatics[staticIndex] = v;
    }

    public int size() {
        return n;
    }

    public int concept(int i) {
        return concept[i];
    }

    public double minute(int i) {
        return minute[i];
    }

    public double value(int i) {
        return value[i];
    }

    /** Shifts every event time by {@code -anchorMinute} (events read with absolute times, anchored afterwards). */
    public void shift(double anchorMinute) {
        for (int i = 0; i < n; i++) minute[i] -= anchorMinute;
        for (List<CodeEvent> l : codes)
            for (int i = 0; i < l.size(); i++) l.set(i, new CodeEvent(l.get(i).minute() - anchorMinute, l.get(i).code()));
    }

    /** Earliest event time (numeric or code), NaN when there is no event. */
    public double firstMinute() {
        double m = Double.NaN;
        for (int i = 0; i < n; i++) if (Double.isNaN(m) || minute[i] < m) m = minute[i];
        for (List<CodeEvent> l : codes) for (CodeEvent e : l) if (Double.isNaN(m) || e.minute() < m) m = e.minute();
        return m;
    }

    /** Latest event time (numeric or code), NaN when there is no event. */
    public double lastMinute() {
        double m = Double.NaN;
        for (int i = 0; i < n; i++) if (Double.isNaN(m) || minute[i] > m) m = minute[i];
        for (List<CodeEvent> l : codes) for (CodeEvent e : l) if (Double.isNaN(m) || e.minute() > m) m = e.minute();
        return m;
    }

    public double numericStatic(int i) {
        return numericStatics[i];
    }

    public String categoricalStatic(int i) {
        return categoricalStatics[i];
    }

    public List<CodeEvent> codes(int codeSetIndex) {
        return codes.get(codeSetIndex);
    }

    /** Distinct codes of a code set inside {@code [0, windowMinutes)}. */
    public TreeSet<String> codesInWindow(int codeSetIndex, double windowMinutes) {
        TreeSet<String> out = new TreeSet<>();
        for (CodeEvent e : codes.get(codeSetIndex)) if (e.minute() >= 0 && e.minute() < windowMinutes) out.add(e.code());
        return out;
    }
}

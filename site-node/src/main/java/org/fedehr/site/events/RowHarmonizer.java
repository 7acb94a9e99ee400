package org.fedehr.site.events;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Row-level harmonisation shared by the readers: local code → concept, value parsing, unit conversion (cached per
 * concept and unit), plausible range, statics, label and the site split. Invalid values, times and units either
 * stop the read ({@code on_invalid_event: fail}, an {@link EventDataException} naming file, line and field — never
 * the value) or are dropped and counted ({@code drop}); out-of-range values are always dropped and counted; local
 * codes without a mapping are ignored and counted per code.
 */
final class RowHarmonizer {
    private final EventSiteConfig config;
    private final EventDictionary dict;
    private final HarmonisationReport report;
    private final HashMap<String, int[]> conceptOfCode = new HashMap<>();
    private final HashMap<String, EventSiteConfig.Mapping> mappings;
    private final Concept[] series;
    private final String[] names;
    @SuppressWarnings("unchecked")
    private final HashMap<String, Object>[] conversions;   // unit -> Affine, or UnitConversionException
    private final UnitConverter units = UnitConverter.shared();
    private final Map<String, Integer> labelsFromFile;
    private final HarmonisationReport.ConceptCounts[] counts;

    @SuppressWarnings("unchecked")
    RowHarmonizer(EventSiteConfig config, HarmonisationReport report, Map<String, Integer> labelsFromFile) {
        this.config = config;
        this.dict = config.dictionary();
        this.report = report;
        this.mappings = new HashMap<>(config.mappings());
        this.series = dict.series().toArray(new Concept[0]);
        this.names = new String[series.length];
        for (int i = 0; i < series.length; i++) names[i] = series[i].name();
        this.conversions = new HashMap[series.length];
        for (int i = 0; i < series.length; i++) conversions[i] = new HashMap<>();
        for (EventSiteConfig.Mapping m : config.mappings().values())
            conceptOfCode.put(m.code(), new int[]{dict.seriesIndex(m.concept())});
        this.labelsFromFile = labelsFromFile;
        this.counts = new HarmonisationReport.ConceptCounts[series.length];
        for (int i = 0; i < series.length; i++) counts[i] = report.concept(names[i]);
    }

    HarmonisationReport report() {
        return report;
    }

    static String where(Path file, long line, String field) {
        return file.getFileName() + " line " + line + ": field " + field;
    }

    private void invalid(String concept, HarmonisationReport.Drop why, Path file, long line, String field, String detail) {
        String w = where(file, line, field);
        if (config.failOnInvalid())
            throw new EventDataException(w + ": " + why.text() + (detail == null ? "" : " (" + detail + ")")
                    + " (on_invalid_event: fail; set drop to skip and count such events)");
        if (concept == null) report.invalid(why, w);
        else report.invalid(concept, why, w);
    }

    /** Reports a time that does not parse (the whole row is skipped). */
    void invalidTime(Path file, long line, String field) {
        invalid(null, HarmonisationReport.Drop.UNPARSEABLE_TIME, file, line, field, null);
    }

    /** Reports a row with too few fields (skipped). */
    void malformedRow(Path file, long line, int fields, int expected) {
        invalid(null, HarmonisationReport.Drop.MALFORMED_ROW, file, line, "(all)", fields + " fields, expected " + expected);
    }

    /** One numeric event of local {@code code}; returns false when not added. */
    boolean numeric(StayEvents stay, String table, String code, String valueText, String unitText, double minute,
                    Path file, long line, String valueField, String unitField) {
        if (valueText == null || valueText.isEmpty()) return false;           // an empty cell is not an event
        int[] ci = conceptOfCode.get(code);
        if (ci == null) {
            report.unmapped(table, code);
            return false;
        }
        int c = ci[0];
        EventSiteConfig.Mapping m = mappings.get(code);
        String unit = unitText != null && !unitText.isEmpty() ? unitText : (m.unit() != null ? m.unit() : series[c].unit());
        counts[c].event(unit);
        double v;
        try {
            v = Double.parseDouble(valueText);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            invalid(names[c], HarmonisationReport.Drop.UNPARSEABLE_VALUE, file, line, valueField, null);
            return false;
        }
        Object conv = conversions[c].get(unit);
        if (conv == null) {
            String u = config.unitAliases().getOrDefault(unit, unit);
            try {
                conv = units.affine(u, series[c].unit(), series[c].molarMass());
            } catch (UnitConversionException e) {
                conv = e;
            }
            conversions[c].put(unit, conv);
        }
        if (conv instanceof UnitConversionException e) {
            boolean badUnit = units.validate(config.unitAliases().getOrDefault(unit, unit)) != null;
            invalid(names[c], badUnit ? HarmonisationReport.Drop.INVALID_UNIT : HarmonisationReport.Drop.UNCONVERTIBLE_UNIT,
                    file, line, unitField, e.getMessage() + ", concept " + names[c]);
            return false;
        }
        double x = ((UnitConverter.Affine) conv).apply(v);
        Concept k = series[c];
        if (x < k.min()) {
            report.drop(names[c], HarmonisationReport.Drop.BELOW_RANGE);
            return false;
        }
        if (x > k.max()) {
            report.drop(names[c], HarmonisationReport.Drop.ABOVE_RANGE);
            return false;
        }
        stay.add(c, minute, x);
        return true;
    }

    /** The code of a code-set table (part before {@code code_split} when given); null when empty. */
    String code(EventSiteConfig.Table t, String codeText) {
        if (codeText == null) return null;
        String c = codeText;
        if (t.codeSplit() != null) {
            int i = c.indexOf(t.codeSplit());
            if (i >= 0) c = c.substring(0, i);
        }
        c = c.trim();
        if (c.isEmpty()) return null;
        report.event(t.codeSet(), null);
        return c;
    }

    /** True when the stay belongs to this site. */
    boolean included(Map<String, String> attrs) {
        EventSiteConfig.Stays s = config.stays();
        if (s.includeAttribute() == null) return true;
        String v = attrs.get(s.includeAttribute());
        return v != null && s.includeValues().contains(v.trim());
    }

    /** Fills statics and the label from the stay's attributes; false when a static does not parse (stay dropped). */
    boolean statics(StayEvents stay, Map<String, String> attrs, Path file, long line) {
        for (EventSiteConfig.StaticMapping sm : config.statics()) {
            int i = dict.staticIndex(sm.concept());
            Concept k = dict.statics().get(i);
            String raw = attrs.get(sm.attribute());
            if (raw != null) raw = sm.replace().getOrDefault(raw.trim(), raw).trim();
            if (raw == null || raw.isEmpty() || config.stays().missingValues().contains(raw)) continue;   // missing
            report.event(k.name(), k.kind() == ConceptKind.NUMERIC ? sm.unit() : null);
            if (k.kind() == ConceptKind.CATEGORICAL) {
                stay.categoricalStatic(i, raw);
                report.kept(k.name());
                report.observedStay(k.name());
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                invalid(k.name(), HarmonisationReport.Drop.UNPARSEABLE_VALUE, file, line, sm.attribute(), null);
                continue;
            }
            double x = units.affine(sm.unit(), k.unit(), k.molarMass()).apply(v);
            if (x < k.min()) report.drop(k.name(), HarmonisationReport.Drop.BELOW_RANGE);
            else if (x > k.max()) report.drop(k.name(), HarmonisationReport.Drop.ABOVE_RANGE);
            else {
                stay.numericStatic(i, x);
                report.kept(k.name());
                report.observedStay(k.name());
            }
        }
        EventSiteConfig.Label l = config.label();
        if (l.file() != null) {
            Integer y = labelsFromFile.get(stay.stayId());
            stay.label(y == null ? -1 : y);
        } else stay.label(labelOf(l, attrs.get(l.column())));
        return true;
    }

    static int labelOf(EventSiteConfig.Label l, String raw) {
        String v = raw == null ? "" : raw.trim();
        if (!l.classes().isEmpty()) return l.classes().indexOf(v);
        if (l.positiveIfPresent()) return v.isEmpty() ? 0 : 1;
        if (l.positive().contains(v)) return 1;
        if (l.negative().contains(v)) return 0;
        return -1;
    }
}

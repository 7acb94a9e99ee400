package org.fedehr.site.events;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a site's harmonisation did, in counts only (never a patient-level value): per concept the events mapped to
 * it, kept, units seen and events dropped by reason, and the stays with at least one kept observation (coverage =
 * those stays / this site's stays read); per stay
 * the stays read, kept, excluded and dropped by reason; local codes that no mapping covers; invalid events by
 * reason with the first place (file, line, field) each reason occurred. This is what {@code fedehr site profile}
 * prints. Not thread-safe: one report per reading pass.
 */
public final class HarmonisationReport {

    /** Why an event was not used. */
    public enum Drop {
        BELOW_RANGE("below the plausible range"),
        ABOVE_RANGE("above the plausible range"),
        BEFORE_ANCHOR("negative offset (before the anchor)"),
        AFTER_WINDOW("after the window"),
        DUPLICATE("duplicate (same concept, time and value)"),
        UNPARSEABLE_VALUE("value not a number"),
        UNPARSEABLE_TIME("time not parseable"),
        MALFORMED_ROW("row with too few fields"),
        INVALID_UNIT("unit not valid UCUM"),
        UNCONVERTIBLE_UNIT("unit not convertible to the concept's unit"),
        UNKNOWN_STAY("stay not in the stay table"),
        STAY_DROPPED("its stay was dropped (no label or anchor)");

        private final String text;

        Drop(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Why a stay was not used. */
    public enum StayDrop {
        NO_LABEL("label missing"),
        NO_EVENTS("no event in the window"),
        NO_ANCHOR("anchor not found"),
        INVALID_STATIC("static value not parseable");

        private final String text;

        StayDrop(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Counts for one concept. */
    public static final class ConceptCounts {
        long events;
        long kept;
        long staysObserved;
        private final TreeMap<String, Long> units = new TreeMap<>();
        final EnumMap<Drop, Long> drops = new EnumMap<>(Drop.class);
        private String lastUnit;      // run-length cache: most events of a concept share one unit
        private long lastUnitCount;

        /** Counts one event of the concept in {@code unit}. */
        public void event(String unit) {
            events++;
            String u = unit == null || unit.isEmpty() ? "(none)" : unit;
            if (u.equals(lastUnit)) {
                lastUnitCount++;
                return;
            }
            flush();
            lastUnit = u;
            lastUnitCount = 1;
        }

        /** Counts one kept event. */
        public void keep() {
            kept++;
        }

        private void flush() {
            if (lastUnit != null && lastUnitCount > 0) units.merge(lastUnit, lastUnitCount, Long::sum);
            lastUnitCount = 0;
        }

        public long events() {
            return events;
        }

        public long kept() {
            return kept;
        }

        public long staysObserved() {
            return staysObserved;
        }

        public Map<String, Long> units() {
            flush();
            lastUnit = null;
            return units;
        }

        public Map<Drop, Long> drops() {
            return drops;
        }

        public long dropped(Drop d) {
            return drops.getOrDefault(d, 0L);
        }
    }

    private final LinkedHashMap<String, ConceptCounts> concepts = new LinkedHashMap<>();
    private final TreeMap<String, Long> unmapped = new TreeMap<>();
    private final EnumMap<Drop, Long> invalid = new EnumMap<>(Drop.class);
    private final EnumMap<Drop, String> firstInvalid = new EnumMap<>(Drop.class);
    private final EnumMap<StayDrop, Long> stayDrops = new EnumMap<>(StayDrop.class);
    private long staysRead;
    private long staysExcluded;
    private long staysKept;
    private long rowsRead;

    public HarmonisationReport(EventDictionary dictionary) {
        for (Concept c : dictionary.series()) concepts.put(c.name(), new ConceptCounts());
        for (Concept c : dictionary.codeSets()) concepts.put(c.name(), new ConceptCounts());
        for (Concept c : dictionary.statics()) concepts.put(c.name(), new ConceptCounts());
    }

    public ConceptCounts concept(String name) {
        ConceptCounts c = concepts.get(name);
        if (c == null) throw new IllegalArgumentException("no concept " + name + " in the report");
        return c;
    }

    public Map<String, ConceptCounts> concepts() {
        return concepts;
    }

    // --- recording ---

    public void row() {
        rowsRead++;
    }

    public void event(String concept, String unit) {
        concept(concept).event(unit);
    }

    public void kept(String concept) {
        concept(concept).kept++;
    }

    public void observedStay(String concept) {
        concept(concept).staysObserved++;
    }

    public void drop(String concept, Drop why) {
        concept(concept).drops.merge(why, 1L, Long::sum);
    }

    /** An event that could not be attributed to a concept or a stay (e.g. its time does not parse). */
    public void invalid(Drop why, String where) {
        invalid.merge(why, 1L, Long::sum);
        firstInvalid.putIfAbsent(why, where);
    }

    /** An event of a concept that is invalid (its value, time or unit); counted under the concept and globally. */
    public void invalid(String concept, Drop why, String where) {
        drop(concept, why);
        invalid(why, where);
    }

    public void unmapped(String table, String code) {
        unmapped.merge(table + ":" + code, 1L, Long::sum);
    }

    public void stayRead() {
        staysRead++;
    }

    public void stayExcluded() {
        staysExcluded++;
    }

    public void stayKept() {
        staysKept++;
    }

    public void stayDropped(StayDrop why) {
        stayDrops.merge(why, 1L, Long::sum);
    }

    // --- reading ---

    public long rowsRead() {
        return rowsRead;
    }

    public long staysRead() {
        return staysRead;
    }

    public long staysExcluded() {
        return staysExcluded;
    }

    public long staysKept() {
        return staysKept;
    }

    public long staysDropped(StayDrop why) {
        return stayDrops.getOrDefault(why, 0L);
    }

    public Map<String, Long> unmappedCodes() {
        return unmapped;
    }

    public long invalid(Drop why) {
        return invalid.getOrDefault(why, 0L);
    }

    public String firstInvalid(Drop why) {
        return firstInvalid.get(why);
    }

    /** Total events kept across concepts. */
    public long eventsKept() {
        long s = 0;
        for (ConceptCounts c : concepts.values()) s += c.kept;
        return s;
    }

    /** A plain-text table for the hospital's data manager. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("stays: %d read, %d of other sites, %d kept", staysRead, staysExcluded, staysKept));
        stayDrops.forEach((k, v) -> b.append(String.format(", %d dropped (%s)", v, k.text())));
        b.append(String.format("%nrows read: %d%n%n", rowsRead));
        b.append(String.format("%-22s %9s %9s %8s  %-30s %s%n", "concept", "events", "kept", "coverage", "units seen", "dropped"));
        for (Map.Entry<String, ConceptCounts> e : concepts.entrySet()) {
            ConceptCounts c = e.getValue();
            StringBuilder units = new StringBuilder();
            c.units().forEach((u, n) -> units.append(units.length() == 0 ? "" : ", ").append(u).append(" ").append(n));
            StringBuilder drops = new StringBuilder();
            c.drops.forEach((d, n) -> drops.append(drops.length() == 0 ? "" : "; ").append(n).append(" ").append(d.text()));
            long own = staysRead - staysExcluded;
            double cov = own == 0 ? 0 : 100.0 * c.staysObserved / own;
            b.append(String.format("%-22s %9d %9d %7.1f%%  %-30s %s%n", e.getKey(), c.events, c.kept, cov,
                    units.length() == 0 ? "-" : units, drops.length() == 0 ? "-" : drops));
        }
        if (!invalid.isEmpty()) {
            b.append(String.format("%ninvalid events:%n"));
            invalid.forEach((k, v) -> b.append(String.format("  %d %s (first: %s)%n", v, k.text(), firstInvalid.get(k))));
        }
        if (!unmapped.isEmpty()) {
            long total = unmapped.values().stream().mapToLong(Long::longValue).sum();
            b.append(String.format("%nlocal codes without a mapping (ignored): %d codes, %d events%n", unmapped.size(), total));
            unmapped.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                    .forEach(e -> b.append(String.format("  %8d  %s%n", e.getValue(), e.getKey())));
            if (unmapped.size() > 20) b.append(String.format("  … %d more%n", unmapped.size() - 20));
        }
        return b.toString();
    }

    /** The same counts as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> stays = new LinkedHashMap<>();
        stays.put("read", staysRead);
        stays.put("other_sites", staysExcluded);
        stays.put("kept", staysKept);
        Map<String, Long> sd = new LinkedHashMap<>();
        stayDrops.forEach((k, v) -> sd.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        stays.put("dropped", sd);
        m.put("stays", stays);
        m.put("rows_read", rowsRead);
        Map<String, Object> cs = new LinkedHashMap<>();
        concepts.forEach((name, c) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("events", c.events);
            x.put("kept", c.kept);
            x.put("stays_observed", c.staysObserved);
            x.put("units", new TreeMap<>(c.units()));
            Map<String, Long> d = new LinkedHashMap<>();
            c.drops.forEach((k, v) -> d.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            x.put("dropped", d);
            cs.put(name, x);
        });
        m.put("concepts", cs);
        Map<String, Object> inv = new LinkedHashMap<>();
        invalid.forEach((k, v) -> inv.put(k.name().toLowerCase(java.util.Locale.ROOT), Map.of("count", v, "first", firstInvalid.get(k))));
        m.put("invalid_events", inv);
        m.put("unmapped_codes", new TreeMap<>(unmapped));
        return m;
    }
}

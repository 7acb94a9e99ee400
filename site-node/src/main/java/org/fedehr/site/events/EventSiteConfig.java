package org.fedehr.site.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedehr.site.data.ConfigReader;
import org.fedehr.site.data.DataConfigException;

/**
 * A site's mapping of its longitudinal extract onto the federation's event shape (see the README section "Event
 * sources" and {@code configs/sites/physionet2012/}, {@code eicu/}, {@code synthea/}). No code per layout: tables,
 * columns, time formats, anchor, label, statics, site split and local-code mappings are all declared here. Unknown
 * keys are refused; every error names the file, line and key.
 */
public record EventSiteConfig(Path file, String siteId, EventDictionary dictionary, boolean failOnInvalid,
                              Stays stays, Anchor anchor, Label label, List<StaticMapping> statics,
                              List<Table> tables, Map<String, Mapping> mappings, Map<String, String> unitAliases,
                              int spillPartitionMb, Source source) {

    /**
     * A non-CSV source ({@code source: {format: fhir, files: GLOB}}): FHIR R4 bundles ({@code .json}) or bulk-export
     * NDJSON ({@code .ndjson}); stays are patients, events come from the resources (see {@link FhirEventSource}).
     * {@code codeSets} maps a code system prefix (SNOMED, RXNORM, ...) to a code set of the dictionary. Null for
     * table and per-stay sources.
     */
    public record Source(String format, String files, Map<String, String> codeSets) {
        public static final String FHIR = "fhir";
    }

    /** Where stays and their attributes come from: one file per stay, or a table with one row per stay. */
    public record Stays(String perStayFiles, String table, String id, List<String> staticCodes, Set<String> missingValues,
                        List<Lookup> lookups, String includeAttribute, Set<String> includeValues) {
        public boolean perStay() {
            return perStayFiles != null;
        }
    }

    /**
     * An attribute taken from another table joined on an attribute (e.g. region from hospital.csv by hospitalid):
     * {@code name} = that table's {@code column} in the row whose {@code key} equals the stay's {@code via} attribute.
     */
    public record Lookup(String name, String file, String key, String via, String column) {
    }

    /**
     * Anchor: {@code offsets} (times are offsets already), {@code first_event} (the window starts at the stay's first
     * event), {@code last_event} (the window ends in the bin of the stay's last event), or an ISO attribute of the stay.
     */
    public record Anchor(String kind, String attribute) {
        public static final String OFFSETS = "offsets", FIRST_EVENT = "first_event", LAST_EVENT = "last_event",
                ATTRIBUTE = "attribute";
    }

    /**
     * Label: an attribute of the stay or a column of a separate file joined on an id column. Binary: {@code positive}
     * and {@code negative} values (or {@code positive_if_present}); multi-class: {@code classes}, the value of each
     * class in class-index order (as many as the dictionary's {@code label_classes}). Other values: no label.
     */
    public record Label(String file, String idColumn, String column, Set<String> positive, Set<String> negative,
                        boolean positiveIfPresent, List<String> classes) {
        public Label {
            classes = classes == null ? List.of() : List.copyOf(classes);
        }
    }

    /** A dictionary static filled from a stay attribute, with optional value replacements. */
    public record StaticMapping(String concept, String attribute, String unit, Map<String, String> replace) {
    }

    /** One event table. {@code files} is a glob relative to the data root, or {@code per_stay} for the stay files. */
    public record Table(String name, String files, String idColumn, String timeColumn, TimeFormat timeFormat,
                        String codeColumn, String valueColumn, String unitColumn, List<WideColumn> wide,
                        String codeSet, String codeSplit) {
        public boolean perStay() {
            return "per_stay".equals(files);
        }
    }

    /** A column of a wide table that holds one local code's values. */
    public record WideColumn(String column, String code) {
    }

    /** Local code → dictionary concept, with the unit of the local values (when the table has no unit column). */
    public record Mapping(String code, String concept, String unit) {
    }

    private static final Set<String> TOP = Set.of("site", "dictionary", "on_invalid_event", "stays", "anchor", "label",
            "statics", "events", "mappings", "unit_aliases", "spill_partition_mb", "source");

    public static EventSiteConfig load(Path file) {
        ConfigReader r = ConfigReader.yaml(file);
        r.allowOnly(TOP);
        ConfigReader site = r.child("site");
        site.allowOnly(Set.of("id"));
        String siteId = site.requiredString("id");
        Path dictFile = file.toAbsolutePath().getParent().resolve(r.requiredString("dictionary")).normalize();
        if (!java.nio.file.Files.isRegularFile(dictFile))
            throw r.error("dictionary", "file not found: " + dictFile + " (a path relative to this site config's folder)");
        EventDictionary dict;
        try {
            dict = EventDictionary.load(dictFile);
        } catch (DataConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.error("dictionary", e.getMessage());
        }
        String oi = r.string("on_invalid_event").orElse("fail").trim();
        if (!oi.equals("fail") && !oi.equals("drop")) throw r.error("on_invalid_event", "must be fail or drop");

        Source source = null;
        if (r.has("source")) {
            ConfigReader so = r.child("source");
            so.allowOnly(Set.of("format", "files", "code_sets"));
            String format = so.requiredString("format").trim();
            if (!format.equals(Source.FHIR)) throw so.error("format", "'" + format + "' is not a source format (known: fhir)");
            Map<String, String> codeSets = new LinkedHashMap<>();
            if (so.has("code_sets")) for (ConfigReader cs : so.children("code_sets")) {
                cs.allowOnly(Set.of("system", "code_set"));
                String set = cs.requiredString("code_set");
                if (dict.codeSetIndex(set) < 0) throw cs.error("code_set", "'" + set + "' is not a code set of the dictionary");
                if (codeSets.put(cs.requiredString("system"), set) != null) throw cs.error("system", "listed twice");
            }
            if (r.has("stays")) throw r.error("stays", "not used with source: (a FHIR source's stays are its Patients)");
            if (r.has("events")) throw r.error("events", "not used with source: (a FHIR source's events are its resources)");
            source = new Source(format, so.requiredString("files"), codeSets);
        }
        ConfigReader s = source != null ? null : r.child("stays");
        Stays stays;
        if (s == null) stays = new Stays(null, null, null, List.of(), Set.of(""), List.of(), null, Set.of());
        else {
        s.allowOnly(Set.of("per_stay_files", "table", "id", "static_codes", "missing_values", "lookups", "include"));
        String psf = s.string("per_stay_files").orElse(null), table = s.string("table").orElse(null);
        if ((psf == null) == (table == null)) throw s.error("table", "give exactly one of per_stay_files or table");
        String id = s.string("id").orElse(null);
        if (table != null && id == null) throw s.error("id", "missing (the stay table's id column)");
        List<Lookup> lookups = new ArrayList<>();
        for (ConfigReader l : s.children("lookups")) {
            l.allowOnly(Set.of("name", "file", "key", "via", "column"));
            lookups.add(new Lookup(l.requiredString("name"), l.requiredString("file"), l.requiredString("key"),
                    l.requiredString("via"), l.requiredString("column")));
        }
        String incAttr = null;
        Set<String> incValues = Set.of();
        if (s.has("include")) {
            ConfigReader inc = s.child("include");
            inc.allowOnly(Set.of("attribute", "values"));
            incAttr = inc.requiredString("attribute");
            incValues = Set.copyOf(inc.strings("values").orElseThrow(() -> inc.error("values", "missing (required)")));
        }
        stays = new Stays(psf, table, id, s.strings("static_codes").orElse(List.of()),
                Set.copyOf(s.strings("missing_values").orElse(List.of(""))), lookups, incAttr, incValues);
        }
        String psf = stays.perStayFiles();

        Anchor anchor;
        String anchorScalar = scalarOrNull(r, "anchor");
        if (!r.has("anchor")) anchor = new Anchor(Anchor.OFFSETS, null);
        else if (anchorScalar != null) {
            String a = anchorScalar.trim();
            if (!a.equals(Anchor.OFFSETS) && !a.equals(Anchor.FIRST_EVENT) && !a.equals(Anchor.LAST_EVENT))
                throw r.error("anchor", "must be offsets, first_event, last_event or {attribute: NAME}");
            anchor = new Anchor(a, null);
        } else {
            ConfigReader a = r.child("anchor");
            a.allowOnly(Set.of("attribute"));
            anchor = new Anchor(Anchor.ATTRIBUTE, a.requiredString("attribute"));
        }

        ConfigReader l = r.child("label");
        l.allowOnly(Set.of("file", "id", "column", "attribute", "positive", "negative", "positive_if_present", "classes"));
        String lfile = l.string("file").orElse(null);
        String lcol = lfile != null ? l.requiredString("column") : l.requiredString("attribute");
        boolean present = l.bool("positive_if_present").orElse(false);
        Set<String> pos = Set.copyOf(l.strings("positive").orElse(List.of()));
        Set<String> neg = Set.copyOf(l.strings("negative").orElse(List.of()));
        List<String> classes = l.strings("classes").orElse(List.of());
        if (!classes.isEmpty()) {
            if (present || !pos.isEmpty() || !neg.isEmpty())
                throw l.error("classes", "give classes (multi-class) or positive/negative (binary), not both");
            if (classes.size() != dict.labelClasses())
                throw l.error("classes", classes.size() + " classes listed, the dictionary has label_classes: " + dict.labelClasses());
            if (new java.util.HashSet<>(classes).size() != classes.size()) throw l.error("classes", "a class value is listed twice");
        } else {
            if (!present && (pos.isEmpty() || neg.isEmpty()))
                throw l.error("positive", "give positive and negative values, positive_if_present: true, or classes");
            if (dict.labelClasses() != 2)
                throw l.error("positive", "a binary label needs label_classes: 2 in the dictionary (it has " + dict.labelClasses() + "); use classes");
        }
        Label label = new Label(lfile, lfile == null ? null : l.requiredString("id"), lcol, pos, neg, present, classes);

        List<StaticMapping> statics = new ArrayList<>();
        for (ConfigReader st : r.children("statics")) {
            st.allowOnly(Set.of("concept", "attribute", "unit", "replace"));
            String concept = st.requiredString("concept");
            int idx = dict.staticIndex(concept);
            if (idx < 0) throw st.error("concept", "'" + concept + "' is not a static of the dictionary");
            String unit = st.string("unit").orElse(null);
            Concept c = dict.statics().get(idx);
            if (c.kind() == ConceptKind.NUMERIC) {
                if (unit == null) unit = c.unit();
                try {
                    UnitConverter.shared().affine(unit, c.unit(), c.molarMass());
                } catch (UnitConversionException e) {
                    throw st.error("unit", e.getMessage());
                }
            } else if (unit != null) throw st.error("unit", "only numeric statics have a unit");
            Map<String, String> replace = new HashMap<>();
            if (st.has("replace")) for (ConfigReader rp : st.children("replace")) {
                rp.allowOnly(Set.of("from", "to"));
                replace.put(rp.requiredString("from"), rp.string("to").orElse(""));
            }
            statics.add(new StaticMapping(concept, st.requiredString("attribute"), unit, replace));
        }

        List<Table> tables = new ArrayList<>();
        for (ConfigReader t : r.children("events")) {
            t.allowOnly(Set.of("name", "files", "id", "time", "code", "value", "unit", "wide", "code_set", "code_split"));
            String name = t.requiredString("name");
            String files = t.requiredString("files");
            if ("per_stay".equals(files) && psf == null) throw t.error("files", "per_stay needs stays.per_stay_files");
            String tid = t.string("id").orElse(null);
            if (!"per_stay".equals(files) && tid == null) throw t.error("id", "missing (the column holding the stay id)");
            ConfigReader tm = t.child("time");
            tm.allowOnly(Set.of("column", "format"));
            TimeFormat tf;
            try {
                tf = TimeFormat.parseName(tm.requiredString("format"));
            } catch (IllegalArgumentException e) {
                throw tm.error("format", e.getMessage());
            }
            if (!tf.isOffset() && anchor.kind().equals(Anchor.OFFSETS))
                throw tm.error("format", "timestamps need an anchor (anchor: first_event or {attribute: NAME})");
            List<WideColumn> wide = new ArrayList<>();
            for (ConfigReader w : t.children("wide")) {
                w.allowOnly(Set.of("column", "code"));
                wide.add(new WideColumn(w.requiredString("column"), w.requiredString("code")));
            }
            String code = t.string("code").orElse(null), value = t.string("value").orElse(null);
            String codeSet = t.string("code_set").orElse(null);
            if (codeSet != null) {
                if (dict.codeSetIndex(codeSet) < 0) throw t.error("code_set", "'" + codeSet + "' is not a code set of the dictionary");
                if (code == null) throw t.error("code", "missing (the column holding the codes)");
            } else if (wide.isEmpty() && (code == null || value == null))
                throw t.error("code", "give code and value columns, or wide columns, or code_set");
            tables.add(new Table(name, files, tid, tm.requiredString("column"), tf, code, value,
                    t.string("unit").orElse(null), wide, codeSet, t.string("code_split").orElse(null)));
        }
        if (tables.isEmpty() && source == null) throw r.error("events", "at least one event table is required");

        Map<String, String> aliases = new LinkedHashMap<>();
        if (r.has("unit_aliases")) for (ConfigReader a : r.children("unit_aliases")) {
            a.allowOnly(Set.of("from", "to"));
            aliases.put(a.requiredString("from"), a.requiredString("to"));
        }
        Map<String, Mapping> mappings = new LinkedHashMap<>();
        for (ConfigReader m : r.children("mappings")) {
            m.allowOnly(Set.of("code", "concept", "unit"));
            String code = m.requiredString("code"), concept = m.requiredString("concept");
            int si = dict.seriesIndex(concept);
            if (si < 0) throw m.error("concept", "'" + concept + "' is not a time-varying numeric concept of the dictionary");
            String unit = m.string("unit").orElse(null);
            if (unit != null) {
                Concept c = dict.series().get(si);
                try {
                    UnitConverter.shared().affine(aliases.getOrDefault(unit, unit), c.unit(), c.molarMass());
                } catch (UnitConversionException e) {
                    throw m.error("unit", e.getMessage() + " (concept " + concept + ")");
                }
            }
            if (mappings.put(code, new Mapping(code, concept, unit)) != null) throw m.error("code", "'" + code + "' is mapped twice");
        }
        int spill = r.integer("spill_partition_mb").orElse(8);
        if (spill < 1) throw r.error("spill_partition_mb", "must be >= 1");
        return new EventSiteConfig(file, siteId, dict, oi.equals("fail"), stays, anchor, label, statics, tables,
                mappings, aliases, spill, source);
    }

    private static String scalarOrNull(ConfigReader r, String key) {
        try {
            return r.string(key).orElse(null);
        } catch (DataConfigException e) {
            return null;     // a mapping
        }
    }
}

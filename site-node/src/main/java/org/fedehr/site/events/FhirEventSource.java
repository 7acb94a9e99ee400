package org.fedehr.site.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.fedehr.site.events.fhir.FhirEvent;
import org.fedehr.site.events.fhir.FhirReader;
import org.fedehr.site.events.fhir.FhirSink;
import org.fedehr.site.events.fhir.FhirStatics;

/**
 * Stays and events from FHIR R4 ({@code source: {format: fhir, files: GLOB}}): every matching file is read with the
 * {@link FhirReader} (bundles entry by entry, {@code .ndjson} line by line). A stay is a Patient; its attributes for
 * statics, label and anchor are {@code id}, {@code gender}, {@code birth_date} and {@code deceased_date} (ISO dates,
 * empty when unknown). A numeric (or text) event goes through the site's {@code mappings}, keyed by the reader's
 * {@code SYSTEM:code} (e.g. {@code LOINC:8867-4}), with the resource's UCUM unit; an event without a value
 * (Condition, MedicationRequest/Statement, Encounter) whose system is listed in {@code source.code_sets} becomes a code
 * of that code set (the bare code, as in the CSV exports); other codes are counted as unmapped. Events of a patient
 * without a Patient resource are dropped and counted ({@code UNKNOWN_STAY}). Stays are handed out in id order after
 * every file has been read, as NDJSON groups resources by type, not by patient: memory holds the harmonised events
 * of the site (compact: one concept, time and value per kept event), not the raw resources.
 */
final class FhirEventSource implements EventSource {
    private final EventSiteConfig config;
    private final Path dataRoot;

    FhirEventSource(EventSiteConfig config, Path dataRoot) {
        if (config.source() == null || !EventSiteConfig.Source.FHIR.equals(config.source().format()))
            throw new IllegalArgumentException(config.file() + ": not a FHIR source config");
        this.config = config;
        this.dataRoot = dataRoot;
    }

    @Override
    public EventDictionary dictionary() {
        return config.dictionary();
    }

    @Override
    public void forEachStay(HarmonisationReport report, Consumer<StayEvents> consumer) {
        String what = config.file().getFileName().toString();
        List<Path> files = EventSources.glob(dataRoot, config.source().files(), what + ": source.files");
        RowHarmonizer h = new RowHarmonizer(config, report, Map.of());
        EventDictionary dict = config.dictionary();
        Map<String, Integer> codeSets = new HashMap<>();
        config.source().codeSets().forEach((system, set) -> codeSets.put(system, dict.codeSetIndex(set)));
        TreeMap<String, StayEvents> stays = new TreeMap<>();
        Map<String, Map<String, String>> attrs = new HashMap<>();
        Map<String, Path> where = new HashMap<>();
        FhirReader reader = new FhirReader();
        for (Path f : files) {
            long[] n = {0};
            FhirSink sink = new FhirSink() {
                @Override
                public void statics(FhirStatics s) {
                    report.stayRead();
                    if (attrs.containsKey(s.patient()))
                        throw new EventDataException(f.getFileName() + ": Patient/" + s.patient() + " occurs twice in the source");
                    Map<String, String> a = new HashMap<>();
                    a.put("id", s.patient());
                    a.put("gender", s.gender());
                    a.put("birth_date", s.birthDate() == null ? "" : s.birthDate().toString());
                    a.put("deceased_date", s.deceasedDate() == null ? "" : s.deceasedDate().toString());
                    attrs.put(s.patient(), a);
                    where.put(s.patient(), f);
                    stays.computeIfAbsent(s.patient(), x -> new StayEvents(x, dict));
                }

                @Override
                public void event(FhirEvent e) {
                    n[0]++;
                    report.row();
                    double minute = minutes(e.time());
                    StayEvents stay = stays.computeIfAbsent(e.patient(), x -> new StayEvents(x, dict));
                    if (!e.numeric() && e.text() == null) {
                        int colon = e.code().indexOf(':');
                        Integer set = colon < 0 ? null : codeSets.get(e.code().substring(0, colon));
                        if (set == null) {
                            report.unmapped(e.resourceType(), e.code());
                            return;
                        }
                        String code = e.code().substring(colon + 1).trim();
                        if (code.isEmpty()) return;
                        report.event(dict.codeSets().get(set).name(), null);
                        stay.addCode(set, minute, code);
                        return;
                    }
                    String value = e.numeric() ? Double.toString(e.value()) : e.text();
                    h.numeric(stay, e.resourceType(), e.code(), value, e.unit(), minute, f, n[0],
                            e.resourceType() + " " + e.code() + " value[x]", e.resourceType() + " " + e.code() + " unit");
                }
            };
            try {
                reader.read(f, sink);
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": cannot read FHIR file (" + e.getMessage() + ")", e);
            }
        }
        for (Map.Entry<String, StayEvents> e : stays.entrySet()) {
            String sid = e.getKey();
            StayEvents stay = e.getValue();
            Map<String, String> a = attrs.get(sid);
            if (a == null) {       // events of a patient the source has no Patient resource for
                report.invalid(HarmonisationReport.Drop.UNKNOWN_STAY, "Patient/" + sid + " (no Patient resource)");
                continue;
            }
            h.statics(stay, a, where.get(sid), 0);
            if (!EventSources.anchor(config, stay, a)) {
                report.stayDropped(HarmonisationReport.StayDrop.NO_ANCHOR);
                continue;
            }
            consumer.accept(stay);
        }
    }

    private static double minutes(Instant t) {
        return t.getEpochSecond() / 60.0;
    }
}

package org.fedehr.site.events.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads FHIR R4 JSON with HAPI FHIR, resource by resource: Bundles (transaction, batch, collection, searchset; one
 * file per bundle, entries streamed with Jackson so only one resource is in memory at a time) and bulk-export
 * NDJSON (one resource per line). Patient gives {@link FhirStatics}; Encounter, Observation (value[x] and each
 * component, e.g. systolic and diastolic blood pressure), Condition, MedicationRequest and MedicationStatement give
 * {@link FhirEvent}s. Other resource types are counted and skipped.
 * <p>
 * Policy (counted in the {@link FhirReadReport}, never an error): an Observation with neither a value nor a
 * component value, and a medication given only by reference, are left out. Errors ({@link FhirInputException})
 * name the file, the NDJSON line or the bundle entry index, the resource and the field: invalid JSON, a resource
 * HAPI cannot parse (strict: unknown elements and malformed values are errors), a missing subject, time or code.
 */
public final class FhirReader {
    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String UCUM = "http://unitsofmeasure.org";
    private static final Map<String, String> PREFIX = Map.of(LOINC, "LOINC", SNOMED, "SNOMED", RXNORM, "RXNORM",
            "http://hl7.org/fhir/sid/icd-10-cm", "ICD10CM", "http://hl7.org/fhir/sid/cvx", "CVX");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final IParser parser;

    public FhirReader() {
        parser = FhirContext.forR4Cached().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
    }

    /** Reads a file ({@code .ndjson} as NDJSON, anything else as one Bundle) or every such file of a folder, by name. */
    public FhirReadReport read(Path path, FhirSink sink) throws IOException {
        FhirReadReport.Counter count = new FhirReadReport.Counter();
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> {
                    String n = p.getFileName().toString();
                    return Files.isRegularFile(p) && (n.endsWith(".json") || n.endsWith(".ndjson"));
                }).sorted().toList();
            }
            if (files.isEmpty()) throw new FhirInputException(path + ": no .json or .ndjson files in the folder");
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new FhirInputException(path + ": file not found");
        }
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".ndjson")) readNdjson(f, sink, count);
            else readBundle(f, sink, count);
        }
        return count.report();
    }

    private void readNdjson(Path file, FhirSink sink, FhirReadReport.Counter count) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String where = file + " line " + n;
                handle(parse(line, where), where, sink, count, null);
            }
        }
    }

    private void readBundle(Path file, FhirSink sink, FhirReadReport.Counter count) throws IOException {
        Set<String> patients = new LinkedHashSet<>();
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory(JSON).createParser(in)) {
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) throw new FhirInputException(file + ": expected a JSON object (a FHIR Bundle)");
                int entries = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    if (field.equals("resourceType")) {
                        if (!"Bundle".equals(p.getValueAsString()))
                            throw new FhirInputException(file + ": resourceType: expected Bundle, found '" + p.getValueAsString()
                                    + "' (one resource per line needs the .ndjson extension)");
                    } else if (field.equals("entry")) {
                        if (t != JsonToken.START_ARRAY) throw new FhirInputException(file + ": entry: expected an array");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int line = p.currentLocation().getLineNr();
                            JsonNode e = JSON.readTree(p);
                            String where = file + " entry[" + entries + "] (line " + line + ")";
                            entries++;
                            JsonNode r = e.get("resource");
                            if (r == null || !r.isObject()) throw new FhirInputException(where + ": resource: missing");
                            handle(parse(r.toString(), where), where, sink, count, patients);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } catch (JsonProcessingException e) {
                throw new FhirInputException(file + " line " + e.getLocation().getLineNr() + ": not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        for (String patient : patients) sink.patientDone(patient);
    }

    private IBaseResource parse(String json, String where) {
        try {
            return parser.parseResource(json);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new FhirInputException(where + ": not a valid FHIR R4 resource: " + e.getMessage(), e);
        }
    }

    private void handle(IBaseResource res, String where, FhirSink sink, FhirReadReport.Counter count, Set<String> patients) {
        String type = res.fhirType();
        String at = where + ": " + type + (res.getIdElement().hasIdPart() ? "/" + res.getIdElement().getIdPart() : "");
        List<FhirEvent> out = new ArrayList<>(2);
        if (res instanceof Patient pt) {
            String id = pt.getIdElement().getIdPart();
            if (id == null || id.isBlank()) throw new FhirInputException(at + ": id: missing");
            LocalDate birth = pt.hasBirthDateElement() ? day(pt.getBirthDateElement()) : null;
            LocalDate death = pt.hasDeceasedDateTimeType() ? day(pt.getDeceasedDateTimeType()) : null;
            sink.statics(new FhirStatics(id, birth, pt.hasGender() ? pt.getGender().toCode() : null, death));
            if (patients != null) patients.add(id);
        } else if (res instanceof Encounter enc) {
            String patient = subject(enc.getSubject(), at);
            if (!enc.hasPeriod() || !enc.getPeriod().hasStart()) throw new FhirInputException(at + ": period.start: missing (need a time)");
            String code = enc.hasClass_() && enc.getClass_().hasCode() ? "ENCOUNTER:" + enc.getClass_().getCode() : "ENCOUNTER:unknown";
            out.add(new FhirEvent(patient, enc.getIdElement().getIdPart(), instant(enc.getPeriod().getStartElement()), code,
                    Double.NaN, null, null, type));
        } else if (res instanceof Observation o) {
            String patient = subject(o.getSubject(), at);
            Instant time = observationTime(o, at);
            String stay = stay(o.getEncounter());
            String code = code(o.getCode(), LOINC, at + ": code");
            int before = out.size();
            if (o.hasValue()) out.add(valueEvent(patient, stay, time, code, o.getValue(), at + ": value[x]", type));
            for (int i = 0; i < o.getComponent().size(); i++) {
                var c = o.getComponent().get(i);
                if (!c.hasValue()) continue;
                String cAt = at + ": component[" + i + "]";
                out.add(valueEvent(patient, stay, time, code(c.getCode(), LOINC, cAt + ".code"), c.getValue(), cAt + ".value[x]", type));
            }
            out.removeIf(e -> e == null);
            if (out.size() == before) count.leftOut.merge("Observation without a value", 1L, Long::sum);
        } else if (res instanceof Condition c) {
            String patient = subject(c.getSubject(), at);
            Instant time;
            if (c.hasOnsetDateTimeType()) time = instant(c.getOnsetDateTimeType());
            else if (c.hasOnsetPeriod() && c.getOnsetPeriod().hasStart()) time = instant(c.getOnsetPeriod().getStartElement());
            else if (c.hasRecordedDate()) time = instant(c.getRecordedDateElement());
            else throw new FhirInputException(at + ": onset[x]: missing (need onsetDateTime, onsetPeriod.start or recordedDate)");
            out.add(new FhirEvent(patient, stay(c.getEncounter()), time, code(c.getCode(), SNOMED, at + ": code"), Double.NaN, null, null, type));
        } else if (res instanceof MedicationRequest m) {
            String patient = subject(m.getSubject(), at);
            if (!m.hasMedicationCodeableConcept()) {
                count.leftOut.merge("MedicationRequest with medicationReference", 1L, Long::sum);
                return;
            }
            if (!m.hasAuthoredOn()) throw new FhirInputException(at + ": authoredOn: missing (need a time)");
            out.add(new FhirEvent(patient, stay(m.getEncounter()), instant(m.getAuthoredOnElement()),
                    code(m.getMedicationCodeableConcept(), RXNORM, at + ": medicationCodeableConcept"), Double.NaN, null, null, type));
        } else if (res instanceof MedicationStatement m) {
            String patient = subject(m.getSubject(), at);
            if (!m.hasMedicationCodeableConcept()) {
                count.leftOut.merge("MedicationStatement with medicationReference", 1L, Long::sum);
                return;
            }
            Instant time;
            if (m.hasEffectiveDateTimeType()) time = instant(m.getEffectiveDateTimeType());
            else if (m.hasEffectivePeriod() && m.getEffectivePeriod().hasStart()) time = instant(m.getEffectivePeriod().getStartElement());
            else if (m.hasDateAsserted()) time = instant(m.getDateAssertedElement());
            else throw new FhirInputException(at + ": effective[x]: missing (need effectiveDateTime, effectivePeriod.start or dateAsserted)");
            out.add(new FhirEvent(patient, stay(m.getContext()), time,
                    code(m.getMedicationCodeableConcept(), RXNORM, at + ": medicationCodeableConcept"), Double.NaN, null, null, type));
        } else {
            count.skipped.merge(type, 1L, Long::sum);
            return;
        }
        count.resources.merge(type, 1L, Long::sum);
        for (FhirEvent e : out) {
            sink.event(e);
            count.events++;
        }
    }

    private static Instant observationTime(Observation o, String at) {
        Type eff = o.getEffective();
        if (eff instanceof BaseDateTimeType dt && dt.hasValue()) return instant(dt);
        if (eff instanceof Period p && p.hasStart()) return instant(p.getStartElement());
        if (o.hasIssued()) return instant(o.getIssuedElement());
        throw new FhirInputException(at + ": effective[x]: missing (need effectiveDateTime, effectiveInstant, effectivePeriod.start or issued)");
    }

    private static FhirEvent valueEvent(String patient, String stay, Instant time, String code, Type v, String at, String type) {
        if (v instanceof Quantity q) {
            if (!q.hasValue()) throw new FhirInputException(at + ": valueQuantity.value: missing");
            double x = q.getValue().doubleValue();
            if (!Double.isFinite(x)) throw new FhirInputException(at + ": valueQuantity.value: not a finite number");
            String unit = q.hasCode() && (!q.hasSystem() || UCUM.equals(q.getSystem())) ? q.getCode() : q.hasUnit() ? q.getUnit() : null;
            return new FhirEvent(patient, stay, time, code, x, unit, null, type);
        }
        if (v instanceof CodeableConcept cc) {
            String text = cc.hasText() ? cc.getText() : cc.hasCoding() ? first(cc).getDisplay() : null;
            String coded = cc.hasCoding() ? prefixed(first(cc)) : text;
            if (coded == null) throw new FhirInputException(at + ": valueCodeableConcept: neither coding nor text");
            return new FhirEvent(patient, stay, time, code, Double.NaN, null, coded, type);
        }
        if (v instanceof StringType s) return new FhirEvent(patient, stay, time, code, Double.NaN, null, s.getValue(), type);
        if (v instanceof org.hl7.fhir.r4.model.IntegerType i) return new FhirEvent(patient, stay, time, code, i.getValue(), null, null, type);
        if (v instanceof org.hl7.fhir.r4.model.BooleanType b) return new FhirEvent(patient, stay, time, code, b.booleanValue() ? 1 : 0, null, null, type);
        return null;   // other value types (Ratio, SampledData, ...) are not events: counted as "without a value" when alone
    }

    private static Coding first(CodeableConcept cc) {
        return cc.getCodingFirstRep();
    }

    /** {@code PREFIX:code} of the coding in {@code preferred} system, else of the first coding with system and code. */
    private static String code(CodeableConcept cc, String preferred, String at) {
        Coding any = null;
        for (Coding c : cc.getCoding()) {
            if (!c.hasCode()) continue;
            if (preferred.equals(c.getSystem())) return prefixed(c);
            if (any == null && c.hasSystem()) any = c;
        }
        if (any != null) return prefixed(any);
        throw new FhirInputException(at + ": no coding with a system and a code");
    }

    private static String prefixed(Coding c) {
        String p = c.hasSystem() ? PREFIX.getOrDefault(c.getSystem(), c.getSystem()) : "UNKNOWN";
        return p + ":" + c.getCode();
    }

    private static String subject(Reference r, String at) {
        String id = refId(r);
        if (id == null) throw new FhirInputException(at + ": subject: missing (need a reference to the Patient)");
        return id;
    }

    private static String stay(Reference r) {
        return refId(r);
    }

    /** The id part of {@code Patient/abc}, {@code urn:uuid:abc} or {@code abc}; null when absent. */
    static String refId(Reference r) {
        if (r == null || !r.hasReference()) return null;
        String s = r.getReference();
        if (s.startsWith("urn:uuid:")) return s.substring("urn:uuid:".length());
        int h = s.indexOf("/_history/");
        if (h >= 0) s = s.substring(0, h);
        int slash = s.lastIndexOf('/');
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    /** Date-only values are taken at 00:00 UTC (not the JVM's zone), so the same file gives the same events anywhere. */
    static Instant instant(BaseDateTimeType dt) {
        if (dt.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal())
            return day(dt).atStartOfDay(ZoneOffset.UTC).toInstant();
        return dt.getValue().toInstant();
    }

    static LocalDate day(BaseDateTimeType dt) {
        int month = dt.getMonth() == null ? 0 : dt.getMonth();
        int d = dt.getDay() == null ? 1 : dt.getDay();
        return LocalDate.of(dt.getYear(), month + 1, d);
    }

}

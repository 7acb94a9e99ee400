package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.fedehr.site.data.DataConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input: with {@code on_invalid_event: fail} an error naming file, line and field; with {@code drop}
 * the documented policy and its count in the harmonisation report.
 */
class EventBadInputTest {
    @TempDir
    Path dir;

    static final String DICT = """
            resampling: {window_hours: 4, bin_minutes: 60}
            concepts:
              - {name: hr, kind: numeric, unit: /min, min: 1, max: 300}
              - {name: temp, kind: numeric, unit: Cel, min: 25, max: 45}
              - {name: glucose, kind: numeric, unit: mg/dL, min: 5, max: 2000, molar_mass: 180.156}
              - {name: dx, kind: code_set, min_count: 1}
            statics:
              - {name: age, kind: numeric, unit: a, min: 0, max: 120}
            """;

    /** A table site: stays.csv + events.csv.gz (long, with a unit column) + dx.csv (code set). */
    private Path tableSite(String policy, String events) throws IOException {
        Files.writeString(dir.resolve("dict.yaml"), DICT);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/stays.csv"), "stay,age,status\n1,70,Expired\n2,> 89,Alive\n3,50,Alive\n4,60,\n");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("data/events.csv.gz")))) {
            o.write(events.getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("data/dx.csv"), "stay,offset,code\n1,10,\"401.9, I10\"\n1,20,401.9\n3,30,250.0\n");
        Path cfg = dir.resolve("site.yaml");
        Files.writeString(cfg, """
                site: {id: t}
                dictionary: dict.yaml
                on_invalid_event: %s
                stays: {table: stays.csv, id: stay}
                label: {attribute: status, positive: [Expired], negative: [Alive]}
                statics:
                  - {concept: age, attribute: age, unit: a, replace: [{from: "> 89", to: "90"}]}
                events:
                  - {name: ev, files: events.csv.gz, id: stay, time: {column: t, format: minutes}, code: code, value: value, unit: unit}
                  - {name: dx, files: dx.csv, id: stay, time: {column: offset, format: minutes}, code: code, code_set: dx, code_split: ","}
                mappings:
                  - {code: HR, concept: hr}
                  - {code: TEMP_F, concept: temp}
                  - {code: GLU, concept: glucose}
                """.formatted(policy));
        return cfg;
    }

    private static final String HEADER = "stay,t,code,value,unit\n";

    private static List<StaySequence> run(Path cfg, HarmonisationReport report) {
        EventSiteConfig c = EventSiteConfig.load(cfg);
        EventSource src = EventSources.open(c, cfg.getParent().resolve("data"));
        FittedEventHarmonizer fit = EventPipeline.fit(c.dictionary(), EventPipeline.statistics(src, new HarmonisationReport(c.dictionary())));
        List<StaySequence> out = new ArrayList<>();
        EventPipeline.stream(src, fit, report, out::add);
        return out;
    }

    private static HarmonisationReport report(Path cfg) {
        return new HarmonisationReport(EventSiteConfig.load(cfg).dictionary());
    }

    @Test
    void goodRowsConvertUnitsAndGroupByStay() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,5,HR,80,/min\n2,5,TEMP_F,98.6,[degF]\n1,6,GLU,5.5,mmol/L\n3,7,HR,90,/min\n");
        HarmonisationReport r = report(cfg);
        List<StaySequence> stays = run(cfg, r);
        assertThat(stays).extracting(StaySequence::stayId).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(r.concept("temp").units()).containsEntry("[degF]", 1L);
        assertThat(r.concept("glucose").kept()).isEqualTo(1);
        assertThat(r.concept("dx").kept()).isEqualTo(3);
        // stay 4 has no label: dropped and counted
        assertThat(r.staysDropped(HarmonisationReport.StayDrop.NO_LABEL)).isEqualTo(1);
        assertThat(r.concept("age").kept()).isEqualTo(4);   // "> 89" replaced by 90
    }

    @Test
    void splitByStayKeepsTrainingStatisticsToTrainingStays() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,5,HR,80,/min\n2,5,HR,100,/min\n3,7,HR,90,/min\n");
        EventSiteConfig c = EventSiteConfig.load(cfg);
        EventSource src = EventSources.open(c, cfg.getParent().resolve("data"));
        List<EventPipeline.StayLabel> labels = EventPipeline.labels(src);
        assertThat(labels).containsExactly(new EventPipeline.StayLabel("1", 1), new EventPipeline.StayLabel("2", 0),
                new EventPipeline.StayLabel("3", 0));
        // label 0: {2, 3}, round(0.5 × 2) = 1 test stay; label 1: {1}, round(0.5) = 1 (half-up) test stay
        java.util.Set<String> test = EventPipeline.testStays(labels, 0.5, 42);
        assertThat(test).hasSize(2).contains("1");
        assertThat(EventPipeline.testStays(labels, 0.5, 42)).isEqualTo(test);
        org.fedehr.protocol.stats.FeatureStatistics train = EventPipeline.statistics(src, report(cfg), id -> !test.contains(id));
        assertThat(train.rows()).isEqualTo(1);
        String trainStay = labels.stream().map(EventPipeline.StayLabel::stayId).filter(id -> !test.contains(id)).findFirst().orElseThrow();
        assertThat(train.numeric().get("series:hr").sum()).isEqualTo(trainStay.equals("2") ? 100.0 : 90.0);
    }

    @Test
    void multiClassLabels() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,5,HR,80,/min\n2,5,HR,100,/min\n3,7,HR,90,/min\n4,8,HR,70,/min\n");
        Files.writeString(dir.resolve("dict.yaml"), DICT.replace("resampling:", "label_classes: 3\nresampling:"));
        Files.writeString(dir.resolve("data/stays.csv"), "stay,age,status\n1,70,low\n2,80,high\n3,50,mid\n4,60,unknown\n");
        String text = Files.readString(cfg);
        Files.writeString(cfg, text.replace("label: {attribute: status, positive: [Expired], negative: [Alive]}",
                "label: {attribute: status, classes: [low, mid, high]}"));
        HarmonisationReport r = report(cfg);
        List<StaySequence> stays = run(cfg, r);
        assertThat(stays).extracting(StaySequence::stayId, StaySequence::label)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("1", 0), org.assertj.core.groups.Tuple.tuple("2", 2),
                        org.assertj.core.groups.Tuple.tuple("3", 1));
        assertThat(r.staysDropped(HarmonisationReport.StayDrop.NO_LABEL)).isEqualTo(1);
        Files.writeString(cfg, text.replace("label: {attribute: status, positive: [Expired], negative: [Alive]}",
                "label: {attribute: status, classes: [low, high]}"));
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("label.classes: 2 classes listed, the dictionary has label_classes: 3");
    }

    @Test
    void unparseableTimestamp() throws IOException {
        String ev = HEADER + "1,5,HR,80,/min\n1,5:30,HR,81,/min\n";
        assertThatThrownBy(() -> run(tableSite("fail", ev), null))
                .isInstanceOf(EventDataException.class)
                .hasMessageContaining("events.csv.gz line 3: field t: time not parseable");
        Path cfg = tableSite("drop", ev);
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.invalid(HarmonisationReport.Drop.UNPARSEABLE_TIME)).isEqualTo(1);
        assertThat(r.firstInvalid(HarmonisationReport.Drop.UNPARSEABLE_TIME)).isEqualTo("events.csv.gz line 3: field t");
    }

    @Test
    void unknownUnit() throws IOException {
        String ev = HEADER + "1,5,HR,80,/min\n1,6,HR,81,beats per minute\n";
        assertThatThrownBy(() -> run(tableSite("fail", ev), null))
                .isInstanceOf(EventDataException.class)
                .hasMessageContaining("events.csv.gz line 3: field unit: unit not valid UCUM")
                .hasMessageNotContaining("81");
        Path cfg = tableSite("drop", ev);
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.INVALID_UNIT)).isEqualTo(1);
        assertThat(r.concept("hr").kept()).isEqualTo(1);
    }

    @Test
    void unitThatCannotConvertToTheConceptsUnit() throws IOException {
        String ev = HEADER + "1,5,HR,80,/min\n1,6,GLU,5.5,kg\n";
        assertThatThrownBy(() -> run(tableSite("fail", ev), null))
                .isInstanceOf(EventDataException.class)
                .hasMessageContaining("events.csv.gz line 3: field unit: unit not convertible to the concept's unit")
                .hasMessageContaining("'kg' cannot be converted to 'mg/dL'");
        Path cfg = tableSite("drop", ev);
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.concept("glucose").dropped(HarmonisationReport.Drop.UNCONVERTIBLE_UNIT)).isEqualTo(1);
    }

    @Test
    void negativeAndOutOfWindowOffsetsAndImplausibleValuesAreDroppedAndCounted() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,-10,HR,80,/min\n1,240,HR,80,/min\n1,10,HR,0,/min\n1,11,HR,400,/min\n1,12,HR,70,/min\n");
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.BEFORE_ANCHOR)).isEqualTo(1);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.AFTER_WINDOW)).isEqualTo(1);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.BELOW_RANGE)).isEqualTo(1);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.ABOVE_RANGE)).isEqualTo(1);
        assertThat(r.concept("hr").kept()).isEqualTo(1);
    }

    @Test
    void duplicateEventsAreDroppedAndCounted() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,10,HR,80,/min\n1,10,HR,80,/min\n1,10,HR,82,/min\n");
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.concept("hr").dropped(HarmonisationReport.Drop.DUPLICATE)).isEqualTo(1);
        assertThat(r.concept("hr").kept()).isEqualTo(2);     // same time, different value: both kept (mean 81)
    }

    @Test
    void staysWithNoEventsAreDroppedAndCounted() throws IOException {
        // stay 2 has only an event after the window, stay 3 only before the anchor... but a diagnosis in the window
        Path cfg = tableSite("fail", HEADER + "1,10,HR,80,/min\n2,300,HR,80,/min\n3,-5,HR,80,/min\n");
        HarmonisationReport r = report(cfg);
        List<StaySequence> stays = run(cfg, r);
        assertThat(stays).extracting(StaySequence::stayId).containsExactly("1", "3");
        assertThat(r.staysDropped(HarmonisationReport.StayDrop.NO_EVENTS)).isEqualTo(1);
    }

    @Test
    void codesMissingFromTheDictionaryAreIgnoredAndCountedPerCode() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,10,HR,80,/min\n1,11,SPO2,97,%\n3,12,SPO2,98,%\n3,13,RR,20,/min\n");
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.unmappedCodes()).containsEntry("ev:SPO2", 2L).containsEntry("ev:RR", 1L);
        assertThat(r.render()).contains("local codes without a mapping (ignored): 2 codes, 3 events").doesNotContain("97");
    }

    @Test
    void eventsOfStaysMissingFromTheStayTableAreCounted() throws IOException {
        Path cfg = tableSite("fail", HEADER + "1,10,HR,80,/min\n9,11,HR,80,/min\n");
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.invalid(HarmonisationReport.Drop.UNKNOWN_STAY)).isEqualTo(1);
        assertThat(r.firstInvalid(HarmonisationReport.Drop.UNKNOWN_STAY)).isEqualTo("events.csv.gz line 3: field stay");
    }

    @Test
    void rowWithTooFewFields() throws IOException {
        String ev = HEADER + "1,5,HR,80,/min\n1,6,HR\n";
        assertThatThrownBy(() -> run(tableSite("fail", ev), null))
                .isInstanceOf(EventDataException.class)
                .hasMessageContaining("events.csv.gz line 3: field (all): row with too few fields (3 fields, expected 5)");
        Path cfg = tableSite("drop", ev);
        HarmonisationReport r = report(cfg);
        run(cfg, r);
        assertThat(r.invalid(HarmonisationReport.Drop.MALFORMED_ROW)).isEqualTo(1);
    }

    @Test
    void unparseableValue() throws IOException {
        String ev = HEADER + "1,10,HR,eighty,/min\n";
        assertThatThrownBy(() -> run(tableSite("fail", ev), null))
                .isInstanceOf(EventDataException.class)
                .hasMessageContaining("events.csv.gz line 2: field value: value not a number")
                .hasMessageNotContaining("eighty");
    }

    @Test
    void configErrorsNameFileLineAndKey() throws IOException {
        Path cfg = tableSite("fail", HEADER);
        String text = Files.readString(cfg);
        Files.writeString(cfg, text.replace("{code: GLU, concept: glucose}", "{code: GLU, concept: glucose, unit: kg}"));
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("site.yaml line 14: mappings[2].unit: unit 'kg' cannot be converted to 'mg/dL'");
        Files.writeString(cfg, text.replace("{code: GLU, concept: glucose}", "{code: GLU, concept: glucoze}"));
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("site.yaml line 14: mappings[2].concept: 'glucoze' is not a time-varying numeric concept");
        Files.writeString(cfg, text.replace("on_invalid_event", "on_invalid_events"));
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("site.yaml line 3: on_invalid_events: unknown key");
        Files.writeString(dir.resolve("dict.yaml"), DICT.replace("unit: mg/dL", "unit: mg/dl/x"));
        Files.writeString(cfg, text);
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("dict.yaml line 5: concepts[2].unit: 'mg/dl/x' is not a valid UCUM unit");
        Files.writeString(cfg, text.replace("dictionary: dict.yaml", "dictionary: ../dicts/dict.yaml"));
        assertThatThrownBy(() -> EventSiteConfig.load(cfg)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining("site.yaml line 2: dictionary: file not found: ")
                .hasMessageContaining("relative to this site config's folder");
    }

    /** One-file-per-stay sources: attributes among the time-0 rows, a stay of another site skipped. */
    @Test
    void perStayFiles() throws IOException {
        Files.writeString(dir.resolve("dict.yaml"), DICT);
        Files.createDirectories(dir.resolve("data/stays"));
        Files.writeString(dir.resolve("data/stays/1.txt"), "Time,Parameter,Value\n00:00,RecordID,1\n00:00,Age,70\n00:00,HR,88\n00:00,Unit,A\n00:30,HR,90\n01:10,Temp,98.6\n");
        Files.writeString(dir.resolve("data/stays/2.txt"), "Time,Parameter,Value\n00:00,RecordID,2\n00:00,Unit,B\n00:00,Age,50\n00:30,HR,90\n");
        Files.writeString(dir.resolve("data/stays/3.txt"), "Time,Parameter,Value\n00:00,RecordID,3\n00:00,Age,-1\n00:00,Unit,A\n0x:30,HR,90\n01:00,HR,70\n");
        Files.writeString(dir.resolve("data/outcomes.csv"), "RecordID,death\n1,1\n2,0\n3,0\n");
        Path cfg = dir.resolve("site.yaml");
        Files.writeString(cfg, """
                site: {id: a}
                dictionary: dict.yaml
                on_invalid_event: drop
                stays: {per_stay_files: stays/*.txt, id: RecordID, static_codes: [RecordID, Age, Unit], missing_values: ["-1"], include: {attribute: Unit, values: [A]}}
                label: {file: outcomes.csv, id: RecordID, column: death, positive: ["1"], negative: ["0"]}
                statics: [{concept: age, attribute: Age, unit: a}]
                events: [{name: f, files: per_stay, time: {column: Time, format: hh_mm}, code: Parameter, value: Value}]
                mappings: [{code: HR, concept: hr, unit: /min}, {code: Temp, concept: temp, unit: "[degF]"}]
                """);
        HarmonisationReport r = report(cfg);
        List<StaySequence> stays = run(cfg, r);
        assertThat(stays).extracting(StaySequence::stayId).containsExactly("1", "3");
        assertThat(r.staysExcluded()).isEqualTo(1);
        assertThat(r.concept("hr").kept()).isEqualTo(3);        // stay 1: 00:00 and 00:30; stay 3: 01:00
        assertThat(r.concept("temp").kept()).isEqualTo(1);
        assertThat(r.invalid(HarmonisationReport.Drop.UNPARSEABLE_TIME)).isEqualTo(1);
        assertThat(r.firstInvalid(HarmonisationReport.Drop.UNPARSEABLE_TIME)).isEqualTo("3.txt line 5: field Time");
        assertThat(r.concept("age").kept()).isEqualTo(1);       // stay 3's -1 is missing
        assertThat(stays.get(0).label()).isEqualTo(1);
        // temp of stay 1: 98.6 °F = 37 °C in bin 1; standardised against itself (one value: mean 37, sd -> 1)
        EventSiteConfig c = EventSiteConfig.load(cfg);
        assertThat(stays.get(0).features()[1][c.dictionary().seriesIndex("temp")]).isEqualTo(0f);
        assertThat(stays.get(0).features()[1][3 + c.dictionary().seriesIndex("temp")]).isEqualTo(1f);
        // a label file that is not there: the config and its key are named, with where it was looked for
        Files.delete(dir.resolve("data/outcomes.csv"));
        assertThatThrownBy(() -> run(cfg, report(cfg))).isInstanceOf(EventDataException.class)
                .hasMessageContaining("site.yaml: label.file: ").hasMessageContaining("outcomes.csv not found (relative to the data root");
    }
}

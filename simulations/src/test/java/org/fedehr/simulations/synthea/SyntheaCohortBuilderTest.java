package org.fedehr.simulations.synthea;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hand-written Synthea CSV files, expectations computed by hand. */
class SyntheaCohortBuilderTest {
    static final CohortTask TASK = new CohortTask(LocalDate.of(2020, 1, 1), 5, 5, 40, Set.of("414545008"), Set.of("22298006"),
            List.of(new CohortTask.Measurement("sbp", "8480-6", "mm[Hg]"), new CohortTask.Measurement("bmi", "39156-5", "kg/m2")),
            List.of(new CohortTask.History("hypertension", Set.of("59621000"))),
            List.of(new CohortTask.Category("smoking", "72166-2")));

    static Path write(Path dir, String patients, String conditions, String encounters, String medications, String observations) throws IOException {
        Files.writeString(dir.resolve("patients.csv"), "Id,BIRTHDATE,DEATHDATE,FIRST,GENDER\n" + patients);
        Files.writeString(dir.resolve("conditions.csv"), "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n" + conditions);
        Files.writeString(dir.resolve("encounters.csv"), "Id,START,STOP,PATIENT\n" + encounters);
        Files.writeString(dir.resolve("medications.csv"), "START,STOP,PATIENT,CODE\n" + medications);
        Files.writeString(dir.resolve("observations.csv"), "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n" + observations);
        return dir;
    }

    static String encounter(String p, String day) {
        return "e," + day + "T10:00:00Z," + day + "T10:30:00Z," + p + "\n";
    }

    @Test
    void eligibilityLabelsAndWindowSummaries(@TempDir Path dir) throws IOException {
        write(dir,
                // a: 60 at the anchor, positive; b: 45, negative; c: prior outcome (excluded); d: died before the anchor;
                // e: 39 at the anchor (too young); f: prior MI (excluded); g: never seen in the window; h: outcome after the horizon
                "a,1959-06-01,,\"Smith, A\",M\nb,1974-03-02,,B,F\nc,1950-01-01,,C,M\nd,1950-01-01,2019-05-01,D,F\n"
                        + "e,1980-06-01,,E,M\nf,1950-01-01,,F,M\ng,1950-01-01,,G,F\nh,1950-01-01,2026-01-01,H,F\n",
                "2018-01-01,,a,x,SNOMED-CT,59621000,Hypertension\n2022-03-01,,a,x,SNOMED-CT,414545008,Ischemic heart disease\n"
                        + "2020-01-02,,b,x,SNOMED-CT,59621000,Hypertension (after the anchor: not history)\n"
                        + "2019-01-01,,c,x,SNOMED-CT,414545008,IHD before the anchor\n2017-01-01,,f,x,SNOMED-CT,22298006,MI\n"
                        + "2025-01-02,,h,x,SNOMED-CT,414545008,IHD after the horizon\n",
                encounter("a", "2016-01-01") + encounter("b", "2019-12-31") + encounter("c", "2018-01-01") + encounter("e", "2019-01-01")
                        + encounter("f", "2018-01-01") + encounter("g", "2014-12-31") + encounter("g", "2020-01-01") + encounter("h", "2015-01-01"),
                "2019-01-01T00:00:00Z,,a,1\n2018-01-01T00:00:00Z,2019-06-01T00:00:00Z,a,2\n2019-12-01T00:00:00Z,2021-01-01T00:00:00Z,a,3\n"
                        + "2020-01-02T00:00:00Z,,b,4\n",
                "2016-02-01T10:00:00Z,a,x,vital-signs,8480-6,Systolic,130,mm[Hg],numeric\n"
                        + "2019-02-01T10:00:00Z,a,x,vital-signs,8480-6,Systolic,150,mm[Hg],numeric\n"
                        + "2018-02-01T10:00:00Z,a,x,vital-signs,8480-6,Systolic,140.5,mm[Hg],numeric\n"
                        + "2014-12-31T10:00:00Z,a,x,vital-signs,8480-6,Systolic (before the window),200,mm[Hg],numeric\n"
                        + "2020-01-01T09:00:00Z,a,x,vital-signs,8480-6,Systolic (anchor day),210,mm[Hg],numeric\n"
                        + "2019-02-01T10:00:00Z,a,x,vital-signs,8480-6,Systolic (kPa),20,kPa,numeric\n"
                        + "2019-03-01T10:00:00Z,a,x,survey,72166-2,Smoking,\"Former smoker, quit\",,text\n"
                        + "2017-03-01T10:00:00Z,a,x,survey,72166-2,Smoking,Never smoked,,text\n"
                        + "2019-05-05T10:00:00Z,b,x,vital-signs,39156-5,BMI,31.25,kg/m2,numeric\n");
        Path table = dir.resolve("out/site.csv");
        SyntheaCohortBuilder.Summary s = SyntheaCohortBuilder.build(dir, TASK, table);

        assertThat(s).isEqualTo(new SyntheaCohortBuilder.Summary(8, 3, 1, 2, 1, 4, 1));
        assertThat(Files.readAllLines(table)).containsExactly(
                "age,male,sbp_last,sbp_mean,bmi_last,bmi_mean,hypertension,smoking,active_medications,label",
                // a: sbp last 150 (2019-02-01), mean (130 + 150 + 140.5) / 3 = 140.1667; meds 1 (open) and 3 (stops after)
                "60,1,150,140.1667,NA,NA,1,\"Former smoker, quit\",2,1",
                "45,0,NA,NA,31.25,31.25,0,NA,0,0",
                // h: 70 at the anchor, outcome only after the horizon -> negative
                "70,0,NA,NA,NA,NA,0,NA,0,0");
        assertThat(s.prevalence()).isEqualTo(1.0 / 3);
    }

    @Test
    void badInputNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        write(dir, "a,1959-06-01,,A,M\n", "", "e,2019-13-01T10:00:00Z,,a\n", "", "");
        assertThatThrownBy(() -> SyntheaCohortBuilder.build(dir, TASK, dir.resolve("t.csv")))
                .hasMessageContaining("encounters.csv line 2: START: not a date: '2019-13-01T10:00:00Z'");
        write(dir, "a,1959-06-01,,A,X\n", "", "", "", "");
        assertThatThrownBy(() -> SyntheaCohortBuilder.build(dir, TASK, dir.resolve("t.csv")))
                .hasMessageContaining("patients.csv line 2: GENDER: expected M or F, found 'X'");
        write(dir, "a,1959-06-01,,A,M\n", "2019-01-01,,zz,x,SNOMED-CT,1,x\n", "", "", "");
        assertThatThrownBy(() -> SyntheaCohortBuilder.build(dir, TASK, dir.resolve("t.csv")))
                .hasMessageContaining("conditions.csv line 2: PATIENT: patient is not in patients.csv");
        write(dir, "a,1959-06-01,,A,M\n", "", "", "", "2019-02-01T10:00:00Z,a,x,vital-signs,8480-6,Systolic,high,mm[Hg],numeric\n");
        assertThatThrownBy(() -> SyntheaCohortBuilder.build(dir, TASK, dir.resolve("t.csv")))
                .hasMessageContaining("observations.csv line 2: VALUE: expected a number for LOINC 8480-6, found 'high'");
        Files.delete(dir.resolve("observations.csv"));
        assertThatThrownBy(() -> SyntheaCohortBuilder.build(dir, TASK, dir.resolve("t.csv")))
                .hasMessageContaining("observations.csv: file not found");
        assertThat(dir.resolve("t.csv")).doesNotExist();
    }
}

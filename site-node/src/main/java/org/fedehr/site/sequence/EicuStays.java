package org.fedehr.site.sequence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads the eICU Collaborative Research Database demo ({@code eicu_demo/}) into stays on a regular grid, grouped by the
 * hospital's region (the natural sites), for in-hospital mortality.
 *
 * <p>Cohort: first ICU stay of each hospital stay ({@code unitvisitnumber = 1}) with a known hospital discharge status
 * ({@code Expired} = 1, {@code Alive} = 0) and an ICU stay at least as long as the window, so the prediction is made at
 * the end of the window on data available then (stays that end earlier are excluded, as PhysioNet 2012 includes only
 * stays of at least 48 h). Anchor: ICU admission (offset 0). Time series (mean per bin): non-invasive systolic,
 * diastolic and mean blood pressure ({@code vitalaperiodic}) and the intake and output totals ({@code intakeoutput}).
 * Statics: age ({@code > 89} read as 90), gender (male 1, female 0, else missing), admission height and weight, and the
 * APACHE IV first-day physiology variables ({@code apacheapsvar}; -1 = missing). This demo copy has no lab or periodic
 * vital-sign tables, which limits what a model can reach here.
 *
 * <p>Sites: the {@code region} of {@code hospital.csv}; hospitals without a region, and regions with fewer than
 * {@code minSiteStays} stays in the cohort, are pooled into {@code other}. Errors name file, line and field.
 */
public final class EicuStays {
    public static final List<String> CONCEPTS = List.of("nibp_systolic", "nibp_diastolic", "nibp_mean", "intake_total",
            "output_total");
    private static final List<String> APACHE = List.of("intubated", "vent", "dialysis", "eyes", "motor", "verbal", "meds",
            "urine", "wbc", "temperature", "respiratoryrate", "sodium", "heartrate", "meanbp", "ph", "hematocrit",
            "creatinine", "albumin", "pao2", "pco2", "bun", "glucose", "bilirubin", "fio2");
    public static final List<String> STATICS;

    static {
        List<String> s = new ArrayList<>(List.of("age", "male", "admission_height", "admission_weight"));
        for (String a : APACHE) s.add("apache_" + a);
        STATICS = List.copyOf(s);
    }

    private EicuStays() {
    }

    private record Patient(String id, String region, int label, double[] statics) {
    }

    /** Region (or {@code other}) → its stays in {@code patientunitstayid} order. */
    public static Map<String, List<BinnedStay>> read(Path dir, int windowMinutes, int binMinutes, int minSiteStays) {
        int steps = windowMinutes / binMinutes;
        Map<String, String> regionOf = new HashMap<>();
        table(dir.resolve("hospital.csv"), (cols, f, line) -> regionOf.put(f[cols.get("hospitalid")], f[cols.get("region")]));
        Map<String, Patient> cohort = new TreeMap<>();
        table(dir.resolve("patient.csv"), (cols, f, line) -> {
            if (!"1".equals(f[cols.get("unitvisitnumber")])) return;
            String status = f[cols.get("hospitaldischargestatus")];
            if (status.isEmpty()) return;
            if (!status.equals("Expired") && !status.equals("Alive"))
                throw new IllegalArgumentException("patient.csv line " + line + " field hospitaldischargestatus: expected Alive or Expired");
            double los = number(f[cols.get("unitdischargeoffset")], "patient.csv", line, "unitdischargeoffset");
            if (los < windowMinutes) return;
            double[] st = new double[STATICS.size()];
            Arrays.fill(st, Double.NaN);
            String age = f[cols.get("age")];
            st[0] = age.isEmpty() ? Double.NaN : age.startsWith(">") ? 90 : number(age, "patient.csv", line, "age");
            String g = f[cols.get("gender")];
            st[1] = g.equals("Male") ? 1 : g.equals("Female") ? 0 : Double.NaN;
            st[2] = positive(f[cols.get("admissionheight")], line, "admissionheight");
            st[3] = positive(f[cols.get("admissionweight")], line, "admissionweight");
            String region = regionOf.get(f[cols.get("hospitalid")]);
            String id = f[cols.get("patientunitstayid")];
            cohort.put(id, new Patient(id, region == null || region.isEmpty() ? "other" : region,
                    status.equals("Expired") ? 1 : 0, st));
        });
        table(dir.resolve("apacheapsvar.csv"), (cols, f, line) -> {
            Patient p = cohort.get(f[cols.get("patientunitstayid")]);
            if (p == null) return;
            for (int a = 0; a < APACHE.size(); a++) {
                String v = f[cols.get(APACHE.get(a))];
                double x = v.isEmpty() ? -1 : number(v, "apacheapsvar.csv", line, APACHE.get(a));
                p.statics()[4 + a] = x == -1 ? Double.NaN : x;
            }
        });
        Map<String, double[][]> sum = new HashMap<>();
        Map<String, int[][]> count = new HashMap<>();
        for (String id : cohort.keySet()) {
            sum.put(id, new double[steps][CONCEPTS.size()]);
            count.put(id, new int[steps][CONCEPTS.size()]);
        }
        series(dir.resolve("vitalaperiodic.csv.gz"), "observationoffset",
                List.of("noninvasivesystolic", "noninvasivediastolic", "noninvasivemean"), 0, sum, count, windowMinutes, binMinutes);
        series(dir.resolve("intakeoutput.csv.gz"), "intakeoutputoffset", List.of("intaketotal", "outputtotal"), 3, sum, count,
                windowMinutes, binMinutes);
        Map<String, List<BinnedStay>> byRegion = new TreeMap<>();
        for (Patient p : cohort.values()) {
            double[][] bins = sum.get(p.id());
            int[][] c = count.get(p.id());
            for (int t = 0; t < steps; t++)
                for (int k = 0; k < CONCEPTS.size(); k++)
                    bins[t][k] = c[t][k] == 0 ? Double.NaN : bins[t][k] / c[t][k];
            byRegion.computeIfAbsent(p.region(), r -> new ArrayList<>()).add(new BinnedStay(p.id(), p.label(), bins, p.statics(), steps));
        }
        Map<String, List<BinnedStay>> sites = new TreeMap<>();
        for (var e : byRegion.entrySet()) {
            String site = e.getValue().size() >= minSiteStays ? e.getKey().toLowerCase(java.util.Locale.ROOT) : "other";
            sites.computeIfAbsent(site, k -> new ArrayList<>()).addAll(e.getValue());
        }
        for (List<BinnedStay> l : sites.values()) l.sort(java.util.Comparator.comparing(BinnedStay::stayId));
        return sites;
    }

    private static void series(Path file, String offsetColumn, List<String> columns, int firstConcept, Map<String, double[][]> sum,
                               Map<String, int[][]> count, int windowMinutes, int binMinutes) {
        int steps = windowMinutes / binMinutes;
        String name = file.getFileName().toString();
        table(file, (cols, f, line) -> {
            double[][] s = sum.get(f[cols.get("patientunitstayid")]);
            if (s == null) return;
            int[][] c = count.get(f[cols.get("patientunitstayid")]);
            double off = number(f[cols.get(offsetColumn)], name, line, offsetColumn);
            if (off < 0 || off > windowMinutes) return;   // before ICU admission or after the window
            int b = Math.min(steps - 1, (int) (off / binMinutes));
            for (int k = 0; k < columns.size(); k++) {
                String v = f[cols.get(columns.get(k))];
                if (v.isEmpty()) continue;
                double x = number(v, name, line, columns.get(k));
                s[b][firstConcept + k] += x;
                c[b][firstConcept + k]++;
            }
        });
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(Map<String, Integer> columns, String[] fields, long line);
    }

    private static void table(Path file, RowHandler handler) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": file not found");
        try (BufferedReader r = file.toString().endsWith(".gz")
                ? new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) throw new IllegalArgumentException(file + ": empty file");
            String[] h = split(header);
            Map<String, Integer> cols = new HashMap<>();
            for (int i = 0; i < h.length; i++) cols.put(h[i], i);
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isEmpty()) continue;
                String[] f = split(line);
                if (f.length != h.length)
                    throw new IllegalArgumentException(file.getFileName() + " line " + n + ": expected " + h.length + " fields, found " + f.length);
                handler.row(cols, f, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private static double positive(String v, long line, String field) {
        if (v.isEmpty()) return Double.NaN;
        double x = number(v, "patient.csv", line, field);
        return x > 0 ? x : Double.NaN;
    }

    private static double number(String v, String file, long line, String field) {
        try {
            double x = Double.parseDouble(v);
            if (!Double.isFinite(x)) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + " field " + field + ": not a number");
        }
    }

    /** One CSV line; double-quoted fields may hold commas ("" is a quote). */
    static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}

package org.fedehr.simulations.synthea;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one site's Synthea CSV export into that site's table for a {@link CohortTask}: one row per eligible patient
 * (no identifier), the task's feature columns ({@value #MISSING} = not measured in the window) and a {@code label}
 * column (1 = outcome within the horizon). Reads
 * patients, conditions, encounters and medications into memory (small) and streams observations (large) keeping only
 * per-patient running summaries, so memory grows with patients, not with measurements.
 * <p>
 * Dates are compared by day: a measurement counts when it was taken in [anchor − lookback, anchor), a condition is
 * history when it started on or before the anchor and an outcome when it started in (anchor, anchor + horizon].
 * A measurement in another unit than the task's is dropped and counted (Synthea writes one UCUM unit per code).
 */
public final class SyntheaCohortBuilder {
    /** What the table writes for a value that was not measured in the window (site configs: missing_markers). */
    public static final String MISSING = "NA";

    private SyntheaCohortBuilder() {
    }

    /** Aggregate counts of one build (no patient-level values). */
    public record Summary(int patients, int eligible, int positives, int excludedPrior, int notSeen, long measurements,
                          long unitMismatches) {
        public double prevalence() {
            return eligible == 0 ? 0 : (double) positives / eligible;
        }
    }

    private static final class Patient {
        final String birth;
        final String death;
        final boolean male;
        boolean seen;
        boolean prior;
        boolean outcome;
        final boolean[] history;
        final double[] last;
        final String[] lastTime;
        final double[] sum;
        final int[] count;
        final String[] category;
        final String[] categoryTime;
        int activeMeds;

        Patient(String birth, String death, boolean male, CohortTask t) {
            this.birth = birth;
            this.death = death;
            this.male = male;
            history = new boolean[t.histories().size()];
            int m = t.measurements().size();
            last = new double[m];
            lastTime = new String[m];
            sum = new double[m];
            count = new int[m];
            category = new String[t.categories().size()];
            categoryTime = new String[t.categories().size()];
        }
    }

    /** Builds the table from {@code csvDir} into {@code table} (written to a temporary file, then moved into place). */
    public static Summary build(Path csvDir, CohortTask task, Path table) throws IOException {
        String anchor = task.anchor().toString();
        String start = task.windowStart().toString();
        String end = task.horizonEnd().toString();
        Map<String, Patient> patients = new TreeMap<>();   // sorted by id: a deterministic row order
        try (SyntheaCsv c = new SyntheaCsv(csvDir.resolve("patients.csv"))) {
            int id = c.column("Id"), birth = c.column("BIRTHDATE"), death = c.column("DEATHDATE"), gender = c.column("GENDER");
            while (c.next()) {
                String b = day(c, birth, false), d = day(c, death, true), g = c.get(gender);
                if (!g.equals("M") && !g.equals("F")) throw c.error(gender, "expected M or F, found '" + g + "'");
                patients.put(c.get(id), new Patient(b, d, g.equals("M"), task));
            }
        }
        Map<String, Integer> historyIndex = new HashMap<>();
        for (int i = 0; i < task.histories().size(); i++)
            for (String code : task.histories().get(i).codes()) historyIndex.putIfAbsent(code, i);
        try (SyntheaCsv c = new SyntheaCsv(csvDir.resolve("conditions.csv"))) {
            int pat = c.column("PATIENT"), st = c.column("START"), code = c.column("CODE");
            while (c.next()) {
                Patient p = patient(c, pat, patients);
                String s = day(c, st, false), k = c.get(code);
                boolean onOrBefore = s.compareTo(anchor) <= 0;
                if (task.outcomeCodes().contains(k)) {
                    if (onOrBefore) p.prior = true;
                    else if (s.compareTo(end) <= 0) p.outcome = true;
                } else if (onOrBefore && task.excludeCodes().contains(k)) p.prior = true;
                Integer h = historyIndex.get(k);
                if (h != null && onOrBefore) p.history[h] = true;
            }
        }
        try (SyntheaCsv c = new SyntheaCsv(csvDir.resolve("encounters.csv"))) {
            int pat = c.column("PATIENT"), st = c.column("START");
            while (c.next()) {
                String s = day(c, st, false);
                if (s.compareTo(start) >= 0 && s.compareTo(anchor) < 0) patient(c, pat, patients).seen = true;
            }
        }
        try (SyntheaCsv c = new SyntheaCsv(csvDir.resolve("medications.csv"))) {
            int pat = c.column("PATIENT"), st = c.column("START"), sp = c.column("STOP");
            while (c.next()) {
                String s = day(c, st, false), e = day(c, sp, true);
                if (s.compareTo(anchor) <= 0 && (e.isEmpty() || e.compareTo(anchor) > 0)) patient(c, pat, patients).activeMeds++;
            }
        }
        Map<String, Integer> measureIndex = new HashMap<>(), categoryIndex = new HashMap<>();
        for (int i = 0; i < task.measurements().size(); i++) measureIndex.putIfAbsent(task.measurements().get(i).loinc(), i);
        for (int i = 0; i < task.categories().size(); i++) categoryIndex.putIfAbsent(task.categories().get(i).loinc(), i);
        long measurements = 0, mismatches = 0;
        try (SyntheaCsv c = new SyntheaCsv(csvDir.resolve("observations.csv"))) {
            int date = c.column("DATE"), pat = c.column("PATIENT"), code = c.column("CODE"), value = c.column("VALUE"), units = c.column("UNITS");
            while (c.next()) {
                String k = c.get(code);
                Integer mi = measureIndex.get(k), ci = categoryIndex.get(k);
                if (mi == null && ci == null) continue;
                String ts = c.get(date);
                String d = day(c, date, false);
                if (d.compareTo(start) < 0 || d.compareTo(anchor) >= 0) continue;
                Patient p = patient(c, pat, patients);
                if (mi != null) {
                    if (!task.measurements().get(mi).unit().equals(c.get(units))) {
                        mismatches++;
                        continue;
                    }
                    double v;
                    try {
                        v = Double.parseDouble(c.get(value));
                    } catch (NumberFormatException e) {
                        throw c.error(value, "expected a number for LOINC " + k + ", found '" + c.get(value) + "'");
                    }
                    if (!Double.isFinite(v)) throw c.error(value, "not a finite number for LOINC " + k);
                    measurements++;
                    p.sum[mi] += v;
                    p.count[mi]++;
                    if (p.lastTime[mi] == null || ts.compareTo(p.lastTime[mi]) >= 0) {
                        p.lastTime[mi] = ts;
                        p.last[mi] = v;
                    }
                } else if (p.categoryTime[ci] == null || ts.compareTo(p.categoryTime[ci]) >= 0) {
                    p.categoryTime[ci] = ts;
                    p.category[ci] = c.get(value);
                }
            }
        }
        int eligible = 0, positives = 0, excluded = 0, notSeen = 0;
        Files.createDirectories(table.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(table.toAbsolutePath().getParent(), table.getFileName().toString(), ".partial");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(String.join(",", task.columns()) + ",label");
                w.newLine();
                LocalDate a = task.anchor();
                for (Patient p : patients.values()) {
                    if (!p.death.isEmpty() && p.death.compareTo(anchor) <= 0) continue;   // not alive at the anchor
                    int age = Period.between(LocalDate.parse(p.birth), a).getYears();
                    if (age < task.minAge()) continue;
                    if (!p.seen) {
                        notSeen++;
                        continue;
                    }
                    if (p.prior) {
                        excluded++;
                        continue;
                    }
                    eligible++;
                    if (p.outcome) positives++;
                    List<String> f = new ArrayList<>();
                    f.add(Integer.toString(age));
                    f.add(p.male ? "1" : "0");
                    for (int i = 0; i < p.count.length; i++) {
                        f.add(p.count[i] == 0 ? MISSING : num(p.last[i]));
                        f.add(p.count[i] == 0 ? MISSING : num(p.sum[i] / p.count[i]));
                    }
                    for (boolean h : p.history) f.add(h ? "1" : "0");
                    for (String k : p.category) f.add(k == null || k.isBlank() ? MISSING : csvText(k));
                    f.add(Integer.toString(p.activeMeds));
                    f.add(p.outcome ? "1" : "0");
                    w.write(String.join(",", f));
                    w.newLine();
                }
            }
            Files.move(tmp, table, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Summary(patients.size(), eligible, positives, excluded, notSeen, measurements, mismatches);
    }

    private static Patient patient(SyntheaCsv c, int col, Map<String, Patient> patients) throws IOException {
        Patient p = patients.get(c.get(col));
        if (p == null) throw c.error(col, "patient is not in patients.csv");
        return p;
    }

    /** The {@code yyyy-MM-dd} day of a date or ISO timestamp field; "" for an empty optional field. */
    private static String day(SyntheaCsv c, int col, boolean optional) throws IOException {
        String v = c.get(col);
        if (v.isEmpty()) {
            if (optional) return "";
            throw c.error(col, "empty (a date is required)");
        }
        if (v.length() < 10) throw c.error(col, "not a date: '" + v + "'");
        String d = v.substring(0, 10);
        try {
            LocalDate.parse(d);
        } catch (DateTimeParseException e) {
            throw c.error(col, "not a date: '" + v + "'");
        }
        if (v.length() > 10 && v.charAt(10) != 'T') throw c.error(col, "not an ISO date-time: '" + v + "'");
        return d;
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String s = String.format(java.util.Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String csvText(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

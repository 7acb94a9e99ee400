package org.fedehr.site.sequence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PhysioNet/CinC 2012 set-a ({@code physionet2012/set-a/<RecordID>.txt}: {@code Time,Parameter,Value} rows with
 * {@code hh:mm} offsets from ICU admission; {@code Outcomes-a.txt}: {@code In-hospital_death}) for the stays of one ICU
 * type, aggregated onto a regular grid: per bin of {@code binMinutes} in the first {@code windowMinutes} after
 * admission, the mean of each concept's values. Statics: Age, Gender, Height and the admission Weight (the rows at
 * 00:00); {@code -1} (and any negative value) is PhysioNet's "missing" marker and is treated as missing. A value at
 * exactly the end of the window belongs to the last bin. Errors name the file, line and field, never a value.
 */
public final class PhysioNet2012Stays {
    /** The 37 time series of the challenge, in channel order. */
    public static final List<String> CONCEPTS = List.of("HR", "MAP", "SysABP", "DiasABP", "NISysABP", "NIDiasABP", "NIMAP",
            "Temp", "GCS", "RespRate", "Urine", "Weight", "FiO2", "MechVent", "SaO2", "pH", "PaCO2", "PaO2", "HCT", "K",
            "Platelets", "Creatinine", "BUN", "HCO3", "Mg", "Na", "Glucose", "WBC", "Lactate", "Bilirubin", "AST", "ALT",
            "ALP", "Albumin", "TroponinT", "TroponinI", "Cholesterol");
    public static final List<String> STATICS = List.of("Age", "Gender", "Height", "Weight0");
    /** ICU types of the challenge (the natural sites): 1 coronary care, 2 cardiac surgery recovery, 3 medical, 4 surgical. */
    public static final Map<Integer, String> ICU_TYPES = Map.of(1, "coronary-care", 2, "cardiac-surgery", 3, "medical", 4, "surgical");

    private PhysioNet2012Stays() {
    }

    /** The stays of {@code icuType} (1–4), in RecordID order; {@code dir} is the {@code physionet2012} folder. */
    public static List<BinnedStay> read(Path dir, int icuType, int windowMinutes, int binMinutes) {
        if (!ICU_TYPES.containsKey(icuType)) throw new IllegalArgumentException("ICU type must be 1-4, got " + icuType);
        return readAll(dir, windowMinutes, binMinutes).getOrDefault(icuType, List.of());
    }

    /**
     * Every stay, grouped by ICU type (1–4), each group in file-name order: one pass over set-a for a whole simulated
     * federation (the four sites share one folder; each site node still sees only its own group).
     */
    public static Map<Integer, List<BinnedStay>> readAll(Path dir, int windowMinutes, int binMinutes) {
        if (binMinutes < 1 || windowMinutes < binMinutes || windowMinutes % binMinutes != 0)
            throw new IllegalArgumentException("window " + windowMinutes + " min must be a positive multiple of the bin "
                    + binMinutes + " min");
        Map<String, Integer> labels = outcomes(dir.resolve("Outcomes-a.txt"));
        Path setA = dir.resolve("set-a");
        if (!Files.isDirectory(setA)) throw new IllegalArgumentException(setA + ": folder not found");
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(setA, "*.txt")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(setA + ": cannot list", e);
        }
        files.sort(null);
        int steps = windowMinutes / binMinutes;
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < CONCEPTS.size(); k++) index.put(CONCEPTS.get(k), k);
        Map<Integer, List<BinnedStay>> stays = new java.util.TreeMap<>();
        for (Path f : files) {
            int[] icu = new int[1];
            BinnedStay s = readStay(f, icu, windowMinutes, binMinutes, steps, index, labels);
            if (!ICU_TYPES.containsKey(icu[0])) throw new IllegalArgumentException(f + ": ICUType must be 1-4");
            stays.computeIfAbsent(icu[0], k -> new ArrayList<>()).add(s);
        }
        return stays;
    }

    private static BinnedStay readStay(Path f, int[] icuOut, int windowMinutes, int binMinutes, int steps,
                                       Map<String, Integer> index, Map<String, Integer> labels) {
        double[][] sum = new double[steps][CONCEPTS.size()];
        int[][] count = new int[steps][CONCEPTS.size()];
        double[] statics = new double[STATICS.size()];
        Arrays.fill(statics, Double.NaN);
        String id = null;
        int icu = -1;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    if (!line.startsWith("Time,Parameter,Value"))
                        throw new IllegalArgumentException(f + " line 1: expected the header Time,Parameter,Value");
                    continue;
                }
                if (line.isBlank()) continue;
                String[] p = line.split(",", -1);
                if (p.length != 3) throw new IllegalArgumentException(f + " line " + lineNo + ": expected 3 fields, found " + p.length);
                int minute = minutes(p[0], f, lineNo);
                double v;
                try {
                    v = Double.parseDouble(p[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(f + " line " + lineNo + " field Value: not a number");
                }
                switch (p[1]) {
                    case "RecordID" -> id = String.valueOf((long) v);
                    case "ICUType" -> icu = (int) v;
                    case "Age" -> statics[0] = v < 0 ? Double.NaN : v;
                    case "Gender" -> statics[1] = v < 0 ? Double.NaN : v;
                    case "Height" -> statics[2] = v <= 0 ? Double.NaN : v;
                    default -> {
                        if (p[1].equals("Weight") && minute == 0 && Double.isNaN(statics[3]) && v > 0) statics[3] = v;
                        Integer k = index.get(p[1]);
                        if (k == null)
                            throw new IllegalArgumentException(f + " line " + lineNo + " field Parameter: unknown parameter " + p[1]);
                        if (v < 0 || !Double.isFinite(v) || minute > windowMinutes) continue;   // -1 = missing; outside the window
                        int b = Math.min(steps - 1, minute / binMinutes);
                        sum[b][k] += v;
                        count[b][k]++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot read", e);
        }
        if (id == null) throw new IllegalArgumentException(f + ": no RecordID row");
        icuOut[0] = icu;
        Integer label = labels.get(id);
        if (label == null) throw new IllegalArgumentException(f + ": RecordID " + id + " has no row in Outcomes-a.txt");
        double[][] bins = new double[steps][CONCEPTS.size()];
        for (int t = 0; t < steps; t++)
            for (int k = 0; k < CONCEPTS.size(); k++)
                bins[t][k] = count[t][k] == 0 ? Double.NaN : sum[t][k] / count[t][k];
        return new BinnedStay(id, label, bins, statics, steps);
    }

    private static int minutes(String hhmm, Path f, int line) {
        int colon = hhmm.indexOf(':');
        try {
            if (colon < 1) throw new NumberFormatException();
            int h = Integer.parseInt(hhmm.substring(0, colon)), m = Integer.parseInt(hhmm.substring(colon + 1));
            if (h < 0 || m < 0 || m > 59) throw new NumberFormatException();
            return h * 60 + m;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(f + " line " + line + " field Time: expected hh:mm");
        }
    }

    /** RecordID → In-hospital_death (0/1). */
    static Map<String, Integer> outcomes(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": file not found");
        Map<String, Integer> out = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = header == null ? List.of() : List.of(header.split(","));
            int id = cols.indexOf("RecordID"), death = cols.indexOf("In-hospital_death");
            if (id < 0 || death < 0) throw new IllegalArgumentException(file + " line 1: needs columns RecordID and In-hospital_death");
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] p = line.split(",", -1);
                if (p.length <= Math.max(id, death))
                    throw new IllegalArgumentException(file + " line " + lineNo + ": expected " + cols.size() + " fields");
                String d = p[death].trim();
                if (!d.equals("0") && !d.equals("1"))
                    throw new IllegalArgumentException(file + " line " + lineNo + " field In-hospital_death: expected 0 or 1");
                out.put(p[id].trim(), Integer.parseInt(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        return out;
    }
}

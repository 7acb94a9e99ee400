package org.fedehr.simulations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * FLamby's published per-seed benchmark results for one dataset, read from its result CSVs
 * ({@code flamby_results/results_benchmark_<dataset>/*.csv}: one row per seed, method and test set) and summarised as
 * FLamby's paper does: per method, the mean over the K client test sets for each seed, then mean ± population sd over
 * seeds ("mean over clients"), and the same for the pooled test set.
 *
 * @param dataset  e.g. {@code fed_tcga_brca}
 * @param source   the folder the CSVs were read from
 * @param clients  K, the number of client test sets
 * @param methods  FLamby method name (e.g. {@code FedAdam100}, {@code Pooled Training}, {@code Local 0}) → its figures,
 *                 in the order the methods first appear
 */
public record FlambyResults(String dataset, Path source, int clients, Map<String, MethodFigures> methods) {

    /** Mean and population sd (ddof = 0, as FLamby's tables) of one figure over {@code n} seeds. */
    public record Stat(double mean, double sd, int n) {
        public static Stat of(List<Double> values) {
            if (values.isEmpty()) return null;
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / values.size();
            return new Stat(mean, Math.sqrt(var), values.size());
        }
    }

    /** One method's figures: mean over clients and pooled test, each over seeds; either may be null when absent. */
    public record MethodFigures(String method, Stat meanOverClients, Stat pooledTest) {
    }

    /**
     * Reads every {@code *.csv} of {@code resultsDir/results_benchmark_<dataset>}.
     *
     * @throws IllegalArgumentException naming the folder or file, line and column when the files are missing or malformed
     */
    public static FlambyResults load(Path resultsDir, String dataset) {
        Path dir = resultsDir.resolve("results_benchmark_" + dataset);
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("FLamby results for " + dataset + " not found: no folder " + dir
                    + " (expected FLamby's results_benchmark_" + dataset + "/*.csv under FEDEHR_DATA/flamby_results)");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no .csv files in " + dir);
        // method -> seed -> client metrics; method -> seed -> pooled metric
        Map<String, Map<Long, List<Double>>> client = new LinkedHashMap<>();
        Map<String, Map<Long, Double>> pooled = new LinkedHashMap<>();
        java.util.Set<String> clientTests = new java.util.TreeSet<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
            }
            if (lines.isEmpty()) throw new IllegalArgumentException(f + ": empty file");
            String[] head = lines.get(0).split(",", -1);
            int method = column(head, "Method", f), test = column(head, "Test", f), seed = column(head, "seed", f),
                    metric = column(head, "Metric", f);
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                String[] row = lines.get(i).split(",", -1);
                String where = f + ": line " + (i + 1);
                if (row.length != head.length)
                    throw new IllegalArgumentException(where + ": " + row.length + " fields, expected " + head.length);
                String m = row[method].trim(), t = row[test].trim();
                long sd;
                double v;
                try {
                    sd = Math.round(Double.parseDouble(row[seed].trim()));
                    v = Double.parseDouble(row[metric].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": column 'seed' or 'Metric' is not a number");
                }
                if (t.equals("Pooled Test")) {
                    pooled.computeIfAbsent(m, k -> new TreeMap<>()).put(sd, v);
                } else if (t.startsWith("client_test_")) {
                    clientTests.add(t);
                    client.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(sd, k -> new ArrayList<>()).add(v);
                } else {
                    throw new IllegalArgumentException(where + ": column 'Test' is '" + t + "', expected client_test_k or Pooled Test");
                }
            }
        }
        Map<String, MethodFigures> out = new LinkedHashMap<>();
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(client.keySet());
        names.addAll(pooled.keySet());
        for (String m : names) {
            List<Double> perSeedMeans = new ArrayList<>();
            client.getOrDefault(m, Map.of()).values().forEach(v -> perSeedMeans.add(v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
            out.put(m, new MethodFigures(m, Stat.of(perSeedMeans), Stat.of(new ArrayList<>(pooled.getOrDefault(m, Map.of()).values()))));
        }
        return new FlambyResults(dataset, dir, clientTests.size(), out);
    }

    /** The figures of a FLamby method, or null when FLamby did not publish it. */
    public MethodFigures method(String name) {
        return methods.get(name);
    }

    private static int column(String[] head, String name, Path f) {
        for (int i = 0; i < head.length; i++) if (head[i].trim().equals(name)) return i;
        throw new IllegalArgumentException(f + ": line 1: no column '" + name + "'");
    }
}

package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Writes {@code summary.json} and {@code rounds.csv} (of a simulation or of a deployed coordinator), and prints the
 * per-round table and the final figures.
 */
public final class Reports {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Reports() {
    }

    // ------------------------------------------------------------------ summary.json

    /** {@code "secure_aggregation": {...}} with the configured parameters, or {@code false} when updates are plain. */
    static void secureAggregation(ObjectNode root, org.fedehr.coordinator.SecureAggregation sa) {
        if (sa == null) {
            root.put("secure_aggregation", false);
            return;
        }
        ObjectNode o = root.putObject("secure_aggregation");
        o.put("threshold", sa.threshold() == 0 ? "automatic: max(2, floor(n/2)+1)" : String.valueOf(sa.threshold()));
        o.put("clip_range", sa.clipRange());
        o.put("max_step", sa.maxStep());
        o.put("weight_cap", sa.weightCap() == 0 ? "largest per-site training rows of the statistics phase" : String.valueOf(sa.weightCap()));
        o.put("stage_timeout_seconds", sa.stageTimeout().toMillis() / 1000.0);
        o.put("ring", "Z_2^32 fixed point");
    }

    public static ObjectNode summary(Scenario sc, List<SeedResult> results) {
        SeedResult first = results.get(0);
        ObjectNode root = F.objectNode();
        root.put("scenario", sc.name());
        root.put("strategy", sc.federation().strategy());
        root.put("seed", first.seed());
        ArrayNode seeds = root.putArray("seeds");
        results.forEach(r -> seeds.add(r.seed()));
        root.put("rounds", sc.federation().policy().rounds());
        root.put("sites", sc.siteFiles().size());
        root.put("mode", sc.mode().yamlName());
        secureAggregation(root, sc.federation().secureAggregation());
        fill(root, first);
        if (results.size() > 1) {
            ArrayNode per = root.putArray("per_seed");
            for (SeedResult r : results) {
                ObjectNode o = per.addObject();
                o.put("seed", r.seed());
                fill(o, r);
            }
            ObjectNode over = root.putObject("over_seeds");
            over.put("n_seeds", results.size());
            over.put("sd", "population standard deviation (ddof = 0), as in FLamby's tables");
            stat(over, "federated_pooled_test_accuracy", results, r -> r.federated() == null ? null : r.federated().pooledTestAccuracy());
            stat(over, "federated_pooled_test_auroc", results, r -> r.federated() == null ? null : r.federated().pooledTestAuroc());
            stat(over, "federated_mean_site_accuracy", results, r -> r.federated() == null ? null : r.federated().meanSiteAccuracy());
            stat(over, "pooled_baseline_pooled_test_accuracy", results, r -> r.pooledBaseline() == null ? null : r.pooledBaseline().pooledTestAccuracy());
            stat(over, "pooled_baseline_mean_site_accuracy", results, r -> r.pooledBaseline() == null ? null : r.pooledBaseline().meanSiteAccuracy());
            stat(over, "local_baseline_mean_site_accuracy", results, SeedResult::localMeanSiteAccuracy);
            // survival models (absent for binary classifiers)
            stat(over, "federated_pooled_test_c_index", results, r -> r.federated() == null ? null : r.federated().pooledTestCIndex());
            stat(over, "federated_mean_site_c_index", results, r -> r.federated() == null ? null : r.federated().meanSiteCIndex());
            stat(over, "pooled_baseline_pooled_test_c_index", results, r -> r.pooledBaseline() == null ? null : r.pooledBaseline().pooledTestCIndex());
            stat(over, "pooled_baseline_mean_site_c_index", results, r -> r.pooledBaseline() == null ? null : r.pooledBaseline().meanSiteCIndex());
            stat(over, "local_baseline_mean_site_c_index", results, SeedResult::localMeanSiteCIndex);
            stat(over, "wall_seconds", results, SeedResult::wallSeconds);
        }
        List<TargetCheck> checks = targetChecks(sc, results);
        if (!checks.isEmpty()) {
            ArrayNode t = root.putArray("targets");
            for (TargetCheck c : checks) {
                ObjectNode o = t.addObject();
                o.put("scope", c.scope());
                o.put("metric", c.metric());
                o.put("target", c.target());
                putNullable(o, "value", c.value());
                o.put("met", c.met());
            }
        }
        return root;
    }

    /** One scenario target compared with what the run reached; {@code scope} is "seed N" or "mean over N seeds". */
    public record TargetCheck(String scope, String metric, double target, Double value) {
        public boolean met() {
            return value != null && value >= target;
        }
    }

    private static Double federatedMetric(SeedResult r, String metric) {
        if (r.federated() == null) return null;
        return switch (metric) {
            case "pooled_test_accuracy" -> r.federated().pooledTestAccuracy();
            case "pooled_test_auroc" -> r.federated().pooledTestAuroc();
            case "mean_site_accuracy" -> r.federated().meanSiteAccuracy();
            case "pooled_test_c_index" -> r.federated().pooledTestCIndex();
            case "mean_site_c_index" -> r.federated().meanSiteCIndex();
            default -> throw new IllegalArgumentException("unknown metric " + metric);
        };
    }

    /**
     * The scenario's targets against the results: per-seed targets for every seed; over-seed targets (the mean
     * over seeds) only when more than one seed ran. A failed run (no federated model) never meets a target.
     */
    public static List<TargetCheck> targetChecks(Scenario sc, List<SeedResult> results) {
        List<TargetCheck> out = new ArrayList<>();
        for (SeedResult r : results)
            sc.targets().perSeed().forEach((m, t) -> out.add(new TargetCheck("seed " + r.seed(), m, t, federatedMetric(r, m))));
        if (results.size() > 1) {
            sc.targets().overSeeds().forEach((m, t) -> {
                Double mean = 0.0;
                for (SeedResult r : results) {
                    Double v = federatedMetric(r, m);
                    if (v == null) {
                        mean = null;
                        break;
                    }
                    mean += v / results.size();
                }
                out.add(new TargetCheck("mean over " + results.size() + " seeds", m, t, mean));
            });
        }
        return out;
    }

    public static void printTargets(PrintStream out, List<TargetCheck> checks) {
        if (checks.isEmpty()) return;
        out.println("targets (federated model, from the scenario file):");
        for (TargetCheck c : checks)
            out.printf(Locale.ROOT, "  %-22s %-22s %s >= %.3f  %s%n", c.scope(), c.metric(), f3(c.value()), c.target(),
                    c.met() ? "met" : "NOT MET");
    }

    /** Mean ± sd over seeds of the headline figures (printed after a multi-seed run). */
    public static void printOverSeeds(PrintStream out, ObjectNode summary) {
        var over = summary.get("over_seeds");
        if (over == null) return;
        out.println();
        out.println("over " + over.get("n_seeds").asInt() + " seeds (mean ± sd):");
        for (String k : List.of("federated_pooled_test_accuracy", "federated_mean_site_accuracy", "federated_pooled_test_auroc",
                "pooled_baseline_pooled_test_accuracy", "pooled_baseline_mean_site_accuracy", "local_baseline_mean_site_accuracy",
                "federated_pooled_test_c_index", "federated_mean_site_c_index", "pooled_baseline_pooled_test_c_index",
                "pooled_baseline_mean_site_c_index", "local_baseline_mean_site_c_index")) {
            var v = over.get(k);
            if (v != null)
                out.printf(Locale.ROOT, "  %-38s %.4f ± %.4f%n", k, v.get("mean").asDouble(), v.get("sd").asDouble());
        }
    }

    private static void fill(ObjectNode o, SeedResult r) {
        o.put("status", r.status());
        o.put("rounds_aggregated", r.rounds().stream().filter(RoundRecord::updated).count());
        o.set("final", metrics(r.federated()));
        if (r.federated() != null) {
            ObjectNode fin = (ObjectNode) o.get("final");
            fin.put("model_digest", r.modelDigest());
            fin.put("parameters_sha256", r.modelSha256());
            fin.put("parameter_count", r.parameterCount());
            RoundRecord last = r.rounds().isEmpty() ? null : r.rounds().get(r.rounds().size() - 1);
            if (last != null && last.evaluation() != null)
                coordinatorEvaluation(fin, last.evaluation()).put("n_test", last.evaluation().n());
        }
        ObjectNode b = o.putObject("baselines");
        if (r.pooledBaseline() != null) b.set("pooled", metrics(r.pooledBaseline()));
        if (r.localBaselines() != null && !r.localBaselines().isEmpty()) {
            ObjectNode loc = b.putObject("local");
            putNullable(loc, "mean_site_accuracy", r.localMeanSiteAccuracy());
            if (r.localMeanSiteCIndex() != null) putNullable(loc, "mean_site_c_index", r.localMeanSiteCIndex());
            ObjectNode models = loc.putObject("models");
            r.localBaselines().forEach((site, m) -> models.set(site, metrics(m)));
        }
        o.put("bytes_up", r.bytesUp());
        o.put("bytes_down", r.bytesDown());
        o.put("update_bytes", r.updateBytes());
        o.put("raw_float32_update_bytes", r.rawUpdateBytes());
        o.put("wall_seconds", Math.round(r.wallSeconds() * 1000) / 1000.0);
    }

    private static ObjectNode metrics(ModelMetrics m) {
        ObjectNode o = F.objectNode();
        if (m == null) return o;
        putNullable(o, "pooled_test_accuracy", m.pooledTestAccuracy());
        putNullable(o, "pooled_test_auroc", m.pooledTestAuroc());
        putNullable(o, "pooled_test_loss", m.pooledTestLoss());
        putNullable(o, "mean_site_accuracy", m.meanSiteAccuracy());
        boolean survival = m.pooledTestCIndex() != null || m.meanSiteCIndex() != null;
        if (survival) {
            putNullable(o, "pooled_test_c_index", m.pooledTestCIndex());
            putNullable(o, "mean_site_c_index", m.meanSiteCIndex());
        }
        ObjectNode ps = o.putObject("per_site");
        m.perSite().forEach((site, s) -> {
            putSite(ps, site, s.accuracy(), s.auroc(), s.nTest());
            if (survival) putNullable((ObjectNode) ps.get(site), "c_index", s.cIndex());
        });
        return o;
    }

    private static void stat(ObjectNode over, String key, List<SeedResult> rs, Function<SeedResult, Double> f) {
        List<Double> v = new ArrayList<>();
        for (SeedResult r : rs) {
            Double d = f.apply(r);
            if (d != null) v.add(d);
        }
        if (v.isEmpty()) return;
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double var = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / v.size();
        ObjectNode o = over.putObject(key);
        o.put("mean", round(mean));
        o.put("sd", round(Math.sqrt(var)));
        o.put("n", v.size());
    }

    /** One site's entry under {@code per_site}: accuracy, auroc ("n/a" when absent) and test rows. */
    private static void putSite(ObjectNode perSite, String site, Double accuracy, Double auroc, long nTest) {
        ObjectNode x = perSite.putObject(site);
        putNullable(x, "accuracy", accuracy);
        putNullable(x, "auroc", auroc);
        x.put("n_test", nTest);
    }

    private static void putNullable(ObjectNode o, String k, Double v) {
        if (v == null) o.put(k, "n/a");
        else o.put(k, round(v));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    public static void writeSummary(Path out, ObjectNode summary) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
    }

    // ------------------------------------------------------------------ a deployed coordinator's summary.json

    /**
     * summary.json of a deployed coordinator's run. The coordinator never sees a test row, so its figures are the
     * federated ones only: the last round's sample-weighted evaluation, aggregated from the sites' own evaluations
     * (accuracy = total correct / total test rows, loss and AUROC weighted by test rows), with every site's own
     * accuracy, AUROC and test-row count. The model fields match a simulation's {@code final} block, so
     * {@code final.parameters_sha256} of a deployment and of a simulation of the same federation can be compared.
     *
     * @param configuredRounds the rounds the federation was configured for (the status says how many ran)
     * @param wallSeconds      from the coordinator listening to the end of the last round
     */
    public static ObjectNode deploymentSummary(String federation, long seed, int configuredRounds, RunResult r,
                                               double wallSeconds) {
        ObjectNode root = F.objectNode();
        root.put("run_id", r.runId().toString());
        root.put("federation", federation);
        root.put("strategy", r.strategy());
        root.put("seed", seed);
        root.put("rounds", configuredRounds);
        root.put("status", r.status());
        root.put("rounds_aggregated", r.rounds().stream().filter(RoundRecord::updated).count());
        ObjectNode fin = root.putObject("final");
        if (r.finalGlobal() != null) {
            fin.put("model_digest", r.modelDigest());
            fin.put("parameters_sha256", Simulation.sha256(r.finalGlobal()));
            fin.put("parameter_count", r.finalGlobal().length);
            fin.put("model_file", Deployment.MODEL_FILE);
            fin.put("model_spec_file", Deployment.MODEL_SPEC_FILE);
        }
        EvaluationSummary ev = lastEvaluation(r.rounds());
        if (ev != null) {
            ObjectNode e = coordinatorEvaluation(fin, ev);
            putNullable(e, "mean_site_accuracy", ev.meanSiteAccuracy());
            e.put("n_test", ev.n());
            ObjectNode ps = e.putObject("per_site");
            ev.perSite().forEach((site, m) -> putSite(ps, site, m.accuracy(), m.auroc(), m.n()));
            if (!ev.failures().isEmpty()) {
                ArrayNode f = e.putArray("failures");
                ev.failures().forEach(x -> f.add(x.toString()));
            }
        }
        root.put("bytes_up", r.bytesUp());
        root.put("bytes_down", r.bytesDown());
        root.put("wall_seconds", Math.round(wallSeconds * 1000) / 1000.0);
        return root;
    }

    /** {@code final.coordinator_evaluation} with the note and the sample-weighted accuracy, AUROC and loss. */
    private static ObjectNode coordinatorEvaluation(ObjectNode fin, EvaluationSummary ev) {
        ObjectNode e = fin.putObject("coordinator_evaluation");
        e.put("note", "sample-weighted figures the coordinator aggregated from the sites' own evaluations");
        putNullable(e, "accuracy", ev.accuracy());
        putNullable(e, "auroc", ev.auroc());
        putNullable(e, "loss", ev.loss());
        if (ev.cIndex() != null) {   // survival model
            putNullable(e, "c_index", ev.cIndex());
            putNullable(e, "mean_site_c_index", ev.meanSiteCIndex());
        }
        return e;
    }

    private static EvaluationSummary lastEvaluation(List<RoundRecord> rounds) {
        for (int i = rounds.size() - 1; i >= 0; i--) if (rounds.get(i).evaluation() != null) return rounds.get(i).evaluation();
        return null;
    }

    /** The block a deployed coordinator prints when its run ends: status, federated figures per site, the model. */
    public static void printDeploymentFinal(PrintStream out, String federation, long seed, RunResult r, double wallSeconds) {
        out.println();
        out.printf(Locale.ROOT, "%s run %s (seed %d): %s in %.1f s%n", federation, r.runId(), seed, r.status(), wallSeconds);
        warnIfNothingAggregated(out, r.rounds());
        EvaluationSummary ev = lastEvaluation(r.rounds());
        if (ev != null) {
            out.printf(Locale.ROOT, "  final global model, federated evaluation over %d test rows: accuracy %s  w_auroc %s  loss %s  mean_site_accuracy %s%n",
                    ev.n(), f3(ev.accuracy()), f3(ev.auroc()), f3(ev.loss()), f3(ev.meanSiteAccuracy()));
            out.printf(Locale.ROOT, "  %-16s %8s  %8s  %6s%n", "site", "accuracy", "auroc", "n_test");
            ev.perSite().forEach((site, m) -> out.printf(Locale.ROOT, "  %-16s %8s  %8s  %6d%n", site, f3(m.accuracy()),
                    f3(m.auroc()), m.n()));
            for (SiteFailure f : ev.failures()) out.println("  ! evaluation: " + f);
        }
        if (r.finalGlobal() != null)
            out.printf(Locale.ROOT, "  model: %d parameters, parameters_sha256 %s, model digest %s%n", r.finalGlobal().length,
                    Simulation.sha256(r.finalGlobal()), r.modelDigest());
        out.printf(Locale.ROOT, "  bytes up %d, down %d%n", r.bytesUp(), r.bytesDown());
    }

    // ------------------------------------------------------------------ rounds.csv

    public static void writeRounds(Path out, List<SeedResult> results) throws IOException {
        writeRounds(out, results, null);
    }

    /**
     * rounds.csv with, when {@code injected} is given (seed → round → what was injected), a last column
     * {@code faults_injected} listing the round's injected faults separated by "; ".
     */
    public static void writeRounds(Path out, List<SeedResult> results,
                                   Function<Long, java.util.SortedMap<Integer, List<String>>> injected) throws IOException {
        List<Map.Entry<Long, List<RoundRecord>>> runs = new ArrayList<>();
        for (SeedResult r : results) runs.add(Map.entry(r.seed(), r.rounds()));
        writeRoundsOf(out, runs, injected);
    }

    /** rounds.csv of one run (a deployed coordinator's), in the same layout as a simulation's. */
    public static void writeRounds(Path out, long seed, List<RoundRecord> rounds) throws IOException {
        writeRoundsOf(out, List.of(Map.entry(seed, rounds)), null);
    }

    private static void writeRoundsOf(Path out, List<Map.Entry<Long, List<RoundRecord>>> runs,
                                      Function<Long, java.util.SortedMap<Integer, List<String>>> injected) throws IOException {
        Files.createDirectories(out);
        TreeSet<String> sites = new TreeSet<>();
        for (var r : runs)
            for (RoundRecord rr : r.getValue()) if (rr.evaluation() != null) sites.addAll(rr.evaluation().perSite().keySet());
        StringBuilder sb = new StringBuilder("seed,round,updated,status,contributors,failures,no_data,late_replies,accuracy,auroc,loss,mean_site_accuracy");
        for (String s : sites) sb.append(",acc_").append(s);
        sb.append(",bytes_up,bytes_down,seconds").append(injected == null ? "" : ",faults_injected").append('\n');
        for (var r : runs) {
            for (RoundRecord rr : r.getValue()) {
                sb.append(r.getKey()).append(',').append(rr.round()).append(',').append(rr.updated()).append(',')
                        .append(csv(rr.status())).append(',').append(rr.contributed().size()).append(',')
                        .append(rr.failures().size()).append(',').append(rr.noData().size()).append(',')
                        .append(rr.lateReplies().size()).append(',');
                var ev = rr.evaluation();
                sb.append(fmt(ev == null ? null : ev.accuracy())).append(',').append(fmt(ev == null ? null : ev.auroc()))
                        .append(',').append(fmt(ev == null ? null : ev.loss())).append(',')
                        .append(fmt(ev == null ? null : ev.meanSiteAccuracy()));
                for (String s : sites) {
                    EvalMetrics m = ev == null ? null : ev.perSite().get(s);
                    sb.append(',').append(fmt(m == null ? null : m.accuracy()));
                }
                sb.append(',').append(rr.bytesUp()).append(',').append(rr.bytesDown()).append(',')
                        .append(String.format(Locale.ROOT, "%.3f", rr.seconds()));
                if (injected != null)
                    sb.append(',').append(csv(String.join("; ", injected.apply(r.getKey()).getOrDefault(rr.round(), List.of()))));
                sb.append('\n');
            }
        }
        Files.writeString(out.resolve("rounds.csv"), sb.toString());
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.6f", d);
    }

    // ------------------------------------------------------------------ console table

    public static void printHeader(PrintStream out) {
        out.println("(coordinator's federated evaluation of each round's global model: accuracy and loss over all test rows,"
                + " w_auroc = test-row-weighted mean of the sites' AUROCs, mean_site = mean of the sites' accuracies)");
        out.printf(Locale.ROOT, "%5s  %-9s  %5s  %8s  %8s  %8s  %9s  %10s  %10s  %6s%n",
                "round", "status", "sites", "accuracy", "w_auroc", "loss", "mean_site", "bytes_up", "bytes_down", "secs");
    }

    public static void printRound(PrintStream out, RoundRecord r) {
        var ev = r.evaluation();
        String st = r.updated() ? (r.failures().isEmpty() ? "ok" : "ok*") : "FAILED";
        boolean survival = ev != null && ev.cIndex() != null;   // accuracy does not apply to a survival model
        out.printf(Locale.ROOT, "%5d  %-9s  %5s  %8s  %8s  %8s  %9s  %10d  %10d  %6.2f%n", r.round(), st,
                r.contributed().size() + "/" + r.selected().size(), f3(ev == null || survival ? null : ev.accuracy()),
                f3(ev == null ? null : ev.auroc()), f3(ev == null ? null : ev.loss()),
                f3(ev == null || survival ? null : ev.meanSiteAccuracy()), r.bytesUp(), r.bytesDown(), r.seconds());
        if (ev != null && ev.cIndex() != null)   // a survival model: accuracy and AUROC do not apply
            out.printf(Locale.ROOT, "       c_index (test-row weighted) %s  mean_site_c_index %s%n", f3(ev.cIndex()), f3(ev.meanSiteCIndex()));
        if (!r.failures().isEmpty()) {
            for (SiteFailure f : r.failures()) out.println("       ! " + f);
        }
        if (!r.updated()) out.println("       ! " + r.status());
        for (String l : r.lateReplies()) out.println("       ~ late (not counted): " + l);
    }

    private static String f3(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.4f", d);
    }

    public static void printFinal(PrintStream out, Scenario sc, SeedResult r) {
        out.println();
        out.printf(Locale.ROOT, "%s seed %d: %s in %.1f s%n", sc.name(), r.seed(), r.status(), r.wallSeconds());
        warnIfNothingAggregated(out, r.rounds());
        if (r.federated() == null) return;
        if (r.federated().pooledTestCIndex() != null || r.federated().meanSiteCIndex() != null) {
            printFinalSurvival(out, sc, r);
            return;
        }
        out.printf(Locale.ROOT, "  %-22s pooled_test_accuracy %s  pooled_test_auroc %s  mean_site_accuracy %s%n",
                sc.federation().strategy(), f3(r.federated().pooledTestAccuracy()), f3(r.federated().pooledTestAuroc()),
                f3(r.federated().meanSiteAccuracy()));
        if (r.pooledBaseline() != null)
            out.printf(Locale.ROOT, "  %-22s pooled_test_accuracy %s  pooled_test_auroc %s  mean_site_accuracy %s%n",
                    "pooled (centralised)", f3(r.pooledBaseline().pooledTestAccuracy()),
                    f3(r.pooledBaseline().pooledTestAuroc()), f3(r.pooledBaseline().meanSiteAccuracy()));
        if (r.localBaselines() != null && !r.localBaselines().isEmpty())
            out.printf(Locale.ROOT, "  %-22s mean_site_accuracy %s (each site's model on its own test split)%n",
                    "local-only", f3(r.localMeanSiteAccuracy()));
        StringBuilder sb = new StringBuilder("  per site (federated):");
        for (Map.Entry<String, SiteMetrics> e : r.federated().perSite().entrySet())
            sb.append(String.format(Locale.ROOT, "  %s %s (n=%d)", e.getKey(), f3(e.getValue().accuracy()), e.getValue().nTest()));
        out.println(sb);
        out.printf(Locale.ROOT, "  bytes up %d, down %d; one update %d bytes on the wire vs %d raw float32%n",
                r.bytesUp(), r.bytesDown(), r.updateBytes(), r.rawUpdateBytes());
    }

    /** {@link #printFinal} for a survival model: C-indices instead of accuracy and AUROC. */
    private static void printFinalSurvival(PrintStream out, Scenario sc, SeedResult r) {
        String fmt = "  %-22s pooled_test_c_index %s  mean_site_c_index %s%n";
        out.printf(Locale.ROOT, fmt, sc.federation().strategy(), f3(r.federated().pooledTestCIndex()), f3(r.federated().meanSiteCIndex()));
        if (r.pooledBaseline() != null)
            out.printf(Locale.ROOT, fmt, "pooled (centralised)", f3(r.pooledBaseline().pooledTestCIndex()), f3(r.pooledBaseline().meanSiteCIndex()));
        if (r.localBaselines() != null && !r.localBaselines().isEmpty())
            out.printf(Locale.ROOT, "  %-22s mean_site_c_index %s (each site's model on its own test split)%n", "local-only",
                    f3(r.localMeanSiteCIndex()));
        StringBuilder sb = new StringBuilder("  per site (federated C-index):");
        for (Map.Entry<String, SiteMetrics> e : r.federated().perSite().entrySet())
            sb.append(String.format(Locale.ROOT, "  %s %s (n=%d)", e.getKey(), f3(e.getValue().cIndex()), e.getValue().nTest()));
        out.println(sb);
        out.printf(Locale.ROOT, "  bytes up %d, down %d; one update %d bytes on the wire vs %d raw float32%n",
                r.bytesUp(), r.bytesDown(), r.updateBytes(), r.rawUpdateBytes());
    }

    /** The run ended, but no round produced a new global model: say so loudly (every round's reason is above). */
    static void warnIfNothingAggregated(PrintStream out, List<RoundRecord> rounds) {
        if (rounds.isEmpty() || rounds.stream().anyMatch(RoundRecord::updated)) return;
        out.println("  WARNING: none of the " + rounds.size() + " rounds aggregated an update: the final model is the initial"
                + " one (see each round's reason above)");
    }
}

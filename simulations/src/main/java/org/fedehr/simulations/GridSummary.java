package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** summary.json, rounds.csv and the console table of a grid run. */
public final class GridSummary {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String SD_NOTE = "population standard deviation (ddof = 0), as in FLamby's tables; n = seeds with a value";

    private GridSummary() {
    }

    // ------------------------------------------------------------------ aggregation over seeds

    /** Every final figure of the configuration, mean ± sd over the seeds that produced it (absent: no seed did). */
    public static Map<String, MeanSd> overSeeds(GridResult.ConfigurationRuns c) {
        Map<String, MeanSd> out = new LinkedHashMap<>();
        for (String name : FinalMetrics.names()) {
            List<Double> v = new ArrayList<>();
            for (SeedResult r : c.results()) v.add(FinalMetrics.of(r).get(name));
            MeanSd s = MeanSd.of(v);
            if (s != null) out.put(name, s);
        }
        return out;
    }

    /** Per site, the final model's accuracy (mean ± sd over seeds). */
    public static Map<String, MeanSd> siteAccuracyOverSeeds(GridResult.ConfigurationRuns c) {
        return siteOverSeeds(c, SiteMetrics::accuracy);
    }

    /** Per site, the final model's value of {@code f} (mean ± sd over seeds; sites without a value left out). */
    public static Map<String, MeanSd> siteOverSeeds(GridResult.ConfigurationRuns c, Function<SiteMetrics, Double> f) {
        Map<String, List<Double>> v = new LinkedHashMap<>();
        for (SeedResult r : c.results()) {
            if (r.federated() == null) continue;
            r.federated().perSite().forEach((site, m) -> v.computeIfAbsent(site, x -> new ArrayList<>()).add(f.apply(m)));
        }
        Map<String, MeanSd> out = new LinkedHashMap<>();
        v.forEach((site, xs) -> {
            MeanSd s = MeanSd.of(xs);
            if (s != null) out.put(site, s);
        });
        return out;
    }

    /** The baselines that apply to a configuration (one per seed), in seed order. */
    static List<GridResult.Baselines> baselinesOf(GridResult g, GridResult.ConfigurationRuns c) {
        List<GridResult.Baselines> out = new ArrayList<>();
        for (GridResult.SeedRun r : c.runs()) {
            GridResult.Baselines b = r.baselinesId() == null ? null : g.baselines(r.baselinesId());
            if (b != null && !out.contains(b)) out.add(b);
        }
        return out;
    }

    /** Baseline figures over the seeds of the given baselines: pooled model figures and the local-only ones. */
    public static Map<String, MeanSd> baselinesOverSeeds(List<GridResult.Baselines> bs) {
        Map<String, MeanSd> out = new LinkedHashMap<>();
        for (FinalMetrics.Metric<ModelMetrics> m : FinalMetrics.MODEL) {
            MeanSd s = MeanSd.of(bs.stream().map(b -> b.pooled() == null ? null : m.of().apply(b.pooled())).toList());
            if (s != null) out.put("pooled." + m.name(), s);
        }
        put(out, "local.mean_site_accuracy", bs, b -> mean(b.localOwnSiteAccuracy().values()));
        put(out, "local.worst_site_accuracy", bs, b -> FinalMetrics.min(b.localOwnSiteAccuracy().values()));
        put(out, "local.best_site_accuracy", bs, b -> FinalMetrics.max(b.localOwnSiteAccuracy().values()));
        put(out, "local.site_accuracy_sd", bs, b -> FinalMetrics.sd(b.localOwnSiteAccuracy().values()));
        put(out, "local.mean_site_c_index", bs, b -> mean(b.localOwnSite(SiteMetrics::cIndex).values()));
        put(out, "local.worst_site_c_index", bs, b -> FinalMetrics.min(b.localOwnSite(SiteMetrics::cIndex).values()));
        return out;
    }

    private static void put(Map<String, MeanSd> out, String key, List<GridResult.Baselines> bs, Function<GridResult.Baselines, Double> f) {
        MeanSd s = MeanSd.of(bs.stream().map(f).toList());
        if (s != null) out.put(key, s);
    }

    static Double mean(java.util.Collection<Double> v) {
        MeanSd s = MeanSd.of(v);
        return s == null ? null : s.mean();
    }

    // ------------------------------------------------------------------ summary.json

    public static ObjectNode summary(GridResult g) {
        ScenarioGrid grid = g.grid();
        ObjectNode root = F.objectNode();
        root.put("scenario", grid.name());
        root.put("kind", "grid");
        root.put("scenario_file", grid.file().toString());
        root.put("started", g.started().toString());
        root.put("wall_seconds", round3(g.wallSeconds()));
        ArrayNode seeds = root.putArray("seeds");
        grid.seeds().forEach(seeds::add);
        ObjectNode gr = root.putObject("grid");
        ArrayNode st = gr.putArray("strategies");
        grid.strategies().forEach(st::add);
        ObjectNode set = gr.putObject("settings");
        grid.settings().forEach((k, vs) -> {
            ArrayNode a = set.putArray(k);
            vs.forEach(a::add);
        });
        gr.put("order", "strategy-major, then the settings' values (last setting varies fastest); every configuration runs every seed");
        root.put("sd", SD_NOTE);

        ArrayNode configs = root.putArray("configurations");
        for (GridResult.ConfigurationRuns c : g.configurations()) {
            GridConfiguration cfg = c.configuration();
            ObjectNode o = configs.addObject();
            o.put("id", cfg.id());
            o.put("label", cfg.label());
            o.put("strategy", cfg.strategy());
            ObjectNode sp = o.putObject("strategy_params");
            cfg.strategyParams().forEach(sp::put);
            ObjectNode s = o.putObject("settings");
            cfg.settings().forEach(s::put);
            o.put("rounds", cfg.scenario().federation().policy().rounds());
            o.put("n_seeds", c.runs().size());
            o.put("n_seeds_with_result", c.results().stream().filter(r -> r.federated() != null).count());
            ObjectNode over = o.putObject("over_seeds");
            overSeeds(c).forEach((k, v) -> putStat(over, k, v));
            ObjectNode ps = o.putObject("per_site_accuracy_over_seeds");
            siteAccuracyOverSeeds(c).forEach((k, v) -> putStat(ps, k, v));
            Map<String, MeanSd> ci = siteOverSeeds(c, SiteMetrics::cIndex);
            if (!ci.isEmpty()) {
                ObjectNode pc = o.putObject("per_site_c_index_over_seeds");
                ci.forEach((k, v) -> putStat(pc, k, v));
            }
            ObjectNode bo = o.putObject("baselines_over_seeds");
            baselinesOverSeeds(baselinesOf(g, c)).forEach((k, v) -> putStat(bo, k, v));
            ArrayNode per = o.putArray("per_seed");
            for (GridResult.SeedRun r : c.runs()) {
                ObjectNode x = per.addObject();
                x.put("seed", r.seed());
                if (r.result() == null) {
                    x.put("status", "run failed");
                    x.put("error", r.error());
                    continue;
                }
                SeedResult sr = r.result();
                x.put("status", sr.status());
                ObjectNode fin = x.putObject("final");
                FinalMetrics.of(sr).forEach((k, v) -> putNullable(fin, k, v));
                if (sr.federated() != null) {
                    ObjectNode sites = fin.putObject("per_site");
                    sr.federated().perSite().forEach((site, m) -> {
                        ObjectNode so = sites.putObject(site);
                        putNullable(so, "accuracy", m.accuracy());
                        putNullable(so, "auroc", m.auroc());
                        if (m.cIndex() != null) putNullable(so, "c_index", m.cIndex());
                        so.put("n_test", m.nTest());
                    });
                    fin.put("parameters_sha256", sr.modelSha256());
                    fin.put("model_digest", sr.modelDigest());
                }
                if (r.baselinesId() != null) x.put("baselines", r.baselinesId());
            }
            Map<Long, org.fedehr.simulations.faults.FaultPlan> plans = g.faultPlans().getOrDefault(cfg.id(), Map.of());
            if (!plans.isEmpty()) o.set("faults", Faults.json(plans));
        }
        ArrayNode bl = root.putArray("baselines");
        for (GridResult.Baselines b : g.baselines()) {
            ObjectNode o = bl.addObject();
            o.put("id", b.id());
            o.put("seed", b.seed());
            ArrayNode used = o.putArray("configurations");
            b.configurations().forEach(used::add);
            if (b.pooled() != null) {
                ObjectNode p = o.putObject("pooled");
                for (FinalMetrics.Metric<ModelMetrics> m : FinalMetrics.MODEL) putNullable(p, m.name(), m.of().apply(b.pooled()));
            }
            if (!b.local().isEmpty()) {
                ObjectNode l = o.putObject("local");
                l.put("note", "each site's own model on its own test split");
                putNullable(l, "mean_site_accuracy", mean(b.localOwnSiteAccuracy().values()));
                ObjectNode sites = l.putObject("own_site_accuracy");
                b.localOwnSiteAccuracy().forEach((site, v) -> putNullable(sites, site, v));
                Map<String, Double> ci = b.localOwnSite(SiteMetrics::cIndex);
                if (!ci.isEmpty()) {
                    putNullable(l, "mean_site_c_index", mean(ci.values()));
                    ObjectNode cs = l.putObject("own_site_c_index");
                    ci.forEach((site, v) -> putNullable(cs, site, v));
                }
            }
        }
        if (g.flamby() != null) root.set("flamby_comparison", g.flamby().json());
        ObjectNode defs = root.putObject("metrics");
        FinalMetrics.MODEL.forEach(m -> defs.put(m.name(), m.description()));
        FinalMetrics.RUN.forEach(m -> defs.put(m.name(), m.description()));
        return root;
    }

    public static void writeSummary(Path out, GridResult g) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary(g)) + "\n");
    }

    private static void putStat(ObjectNode o, String key, MeanSd s) {
        ObjectNode x = o.putObject(key);
        x.put("mean", round(s.mean()));
        x.put("sd", round(s.sd()));
        x.put("n", s.n());
    }

    private static void putNullable(ObjectNode o, String k, Double v) {
        if (v == null || !Double.isFinite(v)) o.put(k, "n/a");
        else o.put(k, round(v));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static double round3(double v) {
        return Math.round(v * 1e3) / 1e3;
    }

    // ------------------------------------------------------------------ rounds.csv

    /**
     * One row per configuration × seed × round: the configuration's id, strategy and settings, then what the round
     * record holds (status, contributors, failures with their reasons, late replies, the federated evaluation and
     * each site's accuracy, bytes up and down, seconds), and the faults injected into that round (empty: none).
     */
    public static void writeRounds(Path out, GridResult g) throws IOException {
        Files.createDirectories(out);
        List<String> settingKeys = new ArrayList<>(g.grid().settings().keySet());
        TreeSet<String> sites = new TreeSet<>();
        for (GridResult.ConfigurationRuns c : g.configurations())
            for (SeedResult r : c.results())
                for (RoundRecord rr : r.rounds()) {
                    sites.addAll(rr.selected());
                    if (rr.evaluation() != null) sites.addAll(rr.evaluation().perSite().keySet());
                }
        StringBuilder sb = new StringBuilder("configuration,label,strategy");
        for (String k : settingKeys) sb.append(',').append(csv(k));
        sb.append(",seed,round,updated,status,selected,contributors,failures,failed_sites,no_data,late_replies,late,accuracy,auroc,loss,mean_site_accuracy");
        for (String s : sites) sb.append(',').append(csv("acc_" + s));
        sb.append(",bytes_up,bytes_down,seconds,faults_injected\n");
        for (GridResult.ConfigurationRuns c : g.configurations()) {
            GridConfiguration cfg = c.configuration();
            for (SeedResult r : c.results()) {
                for (RoundRecord rr : r.rounds()) {
                    sb.append(cfg.id()).append(',').append(csv(cfg.label())).append(',').append(csv(cfg.strategy()));
                    for (String k : settingKeys) sb.append(',').append(csv(cfg.settings().get(k)));
                    List<String> failed = rr.failures().stream().map(SiteFailure::toString).toList();
                    sb.append(',').append(r.seed()).append(',').append(rr.round()).append(',').append(rr.updated()).append(',')
                            .append(csv(rr.status())).append(',').append(rr.selected().size()).append(',')
                            .append(rr.contributed().size()).append(',').append(rr.failures().size()).append(',')
                            .append(csv(String.join("; ", failed))).append(',').append(rr.noData().size()).append(',')
                            .append(rr.lateReplies().size()).append(',').append(csv(String.join("; ", rr.lateReplies())));
                    var ev = rr.evaluation();
                    sb.append(',').append(fmt(ev == null ? null : ev.accuracy())).append(',').append(fmt(ev == null ? null : ev.auroc()))
                            .append(',').append(fmt(ev == null ? null : ev.loss())).append(',')
                            .append(fmt(ev == null ? null : ev.meanSiteAccuracy()));
                    for (String s : sites) {
                        EvalMetrics m = ev == null ? null : ev.perSite().get(s);
                        sb.append(',').append(fmt(m == null ? null : m.accuracy()));
                    }
                    sb.append(',').append(rr.bytesUp()).append(',').append(rr.bytesDown()).append(',')
                            .append(String.format(Locale.ROOT, "%.3f", rr.seconds())).append(',')
                            .append(csv(String.join("; ", g.injected(cfg.id(), r.seed(), rr.round())))).append('\n');
                }
            }
        }
        Files.writeString(out.resolve("rounds.csv"), sb.toString());
    }

    static String csv(String s) {
        if (s == null) return "";
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.6f", d);
    }

    // ------------------------------------------------------------------ console

    /** The final figures per configuration (mean ± sd over seeds) and the baselines, after a grid run. */
    public static void printTable(PrintStream out, GridResult g) {
        out.println();
        out.println("grid " + g.grid().name() + ": final figures, mean ± sd over seeds " + g.grid().seeds()
                + " (population sd; n = seeds with a result)");
        out.printf(Locale.ROOT, "  %-4s %-44s %-17s %-17s %-17s %-17s %s%n", "id", "configuration", "pooled_test_acc",
                "pooled_test_auroc", "mean_site_acc", "worst_site_acc", "n");
        for (GridResult.ConfigurationRuns c : g.configurations()) {
            Map<String, MeanSd> s = overSeeds(c);
            out.printf(Locale.ROOT, "  %-4s %-44s %-17s %-17s %-17s %-17s %d/%d%n", c.configuration().id(),
                    trim(c.configuration().label(), 44), pm(s.get("pooled_test_accuracy")), pm(s.get("pooled_test_auroc")),
                    pm(s.get("mean_site_accuracy")), pm(s.get("worst_site_accuracy")),
                    c.results().stream().filter(r -> r.federated() != null).count(), c.runs().size());
            for (GridResult.SeedRun r : c.runs())
                if (r.error() != null) out.println("       ! seed " + r.seed() + ": " + r.error());
        }
        Map<String, MeanSd> b = baselinesOverSeeds(g.baselines());
        if (b.containsKey("pooled.pooled_test_accuracy") || b.containsKey("pooled.mean_site_accuracy"))
            out.printf(Locale.ROOT, "  %-4s %-44s %-17s %-17s %-17s %-17s%n", "", "pooled (centralised) baseline",
                    pm(b.get("pooled.pooled_test_accuracy")), pm(b.get("pooled.pooled_test_auroc")),
                    pm(b.get("pooled.mean_site_accuracy")), pm(b.get("pooled.worst_site_accuracy")));
        if (b.containsKey("local.mean_site_accuracy"))
            out.printf(Locale.ROOT, "  %-4s %-44s %-17s %-17s %-17s %-17s%n", "", "local-only baseline (own site)", "", "",
                    pm(b.get("local.mean_site_accuracy")), pm(b.get("local.worst_site_accuracy")));
        if (g.baselines().size() > g.grid().seeds().size())
            out.println("  (settings changed the baselines' data, model or training: baselines per configuration are in summary.json)");
    }

    static String pm(MeanSd s) {
        return s == null ? "n/a" : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd());
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}

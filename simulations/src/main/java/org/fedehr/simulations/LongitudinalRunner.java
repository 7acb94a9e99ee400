package org.fedehr.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunListener;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.events.EventDictionary;
import org.fedehr.site.sequence.EventSequenceSite;
import org.fedehr.site.sequence.SequenceSite;

/** What {@code fedehr simulate} does for a {@link LongitudinalScenario}: build the sites, run, print, write. */
public final class LongitudinalRunner {
    private LongitudinalRunner() {
    }

    /** The sites of a scenario and the layout function of its harmonisation. */
    public record Sites(Map<String, SequenceSite> sites, Function<FeatureStatistics, SequenceSite.Layout> layout) {
    }

    /**
     * Opens every event site config of the scenario over the data root (each site reads only its own stays) with its
     * seeded stratified split; the sites must share one dictionary, whose fitted layout is the coordinator's view.
     */
    public static Sites sites(LongitudinalScenario sc, Path dataRoot) {
        Map<String, SequenceSite> sites = new LinkedHashMap<>();
        EventDictionary dictionary = null;
        Path first = null;
        for (int i = 0; i < sc.siteFiles().size(); i++) {
            Path cfg = sc.siteFiles().get(i);
            EventSequenceSite site;
            try {
                site = EventSequenceSite.load(cfg, dataRoot, sc.testFraction(), sc.splitSeed() + i + 1);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new ConfigException(sc.file() + ": site " + cfg + ": " + e.getMessage(), e);
            }
            EventDictionary d = site.dictionary();
            if (dictionary == null) {
                dictionary = d;
                first = cfg;
            } else if (!dictionary.equals(d)) {
                throw new ConfigException(sc.file() + ": site " + cfg + " uses another dictionary than " + first
                        + " (every site of a federation harmonises with the same one)");
            }
            if (sites.put(site.siteId(), site) != null)
                throw new ConfigException(sc.file() + ": duplicate site id " + site.siteId() + " (" + cfg + ")");
        }
        EventDictionary dict = dictionary;
        return new Sites(sites, stats -> EventSequenceSite.layout(dict, stats));
    }

    public static LongitudinalSimulation.Result run(LongitudinalScenario sc, Path dataRoot, Path outDir, PrintStream out,
                                                    boolean siteLogs) throws Exception {
        long t0 = System.nanoTime();
        Sites s = sites(sc, dataRoot);
        if (out != null) {
            out.println("== " + sc.name() + " · model " + sc.federation().model().get("kind") + " · seed "
                    + sc.seed() + " · " + s.sites().size() + " sites · " + sc.federation().policy().rounds() + " rounds · secure aggregation "
                    + (sc.federation().secureAggregation() == null ? "off" : "on"));
            s.sites().forEach((id, site) -> out.printf(Locale.ROOT, "   site %-16s %5d train / %4d test stays%n", id, site.trainSize(), site.testSize()));
            Reports.printHeader(out);
        }
        RunListener table = new RunListener() {
            @Override
            public void roundCompleted(RoundRecord r) {
                if (out != null) Reports.printRound(out, r);
            }

            @Override
            public void event(String message) {
                if (out != null && (message.startsWith("run failed") || message.startsWith("update rejected")))
                    out.println("  · " + message);
            }
        };
        LongitudinalSimulation.Result r = new LongitudinalSimulation(table,
                siteLogs && out != null ? (site, msg) -> out.println("  [" + site + "] " + msg) : null)
                .run(sc, s.sites(), s.layout());
        double wall = (System.nanoTime() - t0) / 1e9;
        if (out != null) print(out, sc, r, wall);
        if (outDir != null) {
            Files.createDirectories(outDir);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(outDir.resolve("summary.json").toFile(), summary(json, sc, r, wall));
            Reports.writeRounds(outDir, sc.seed(), r.run().rounds());
            if (out != null) out.println("wrote " + outDir.resolve("summary.json") + " and " + outDir.resolve("rounds.csv"));
        }
        return r;
    }

    static void print(PrintStream out, LongitudinalScenario sc, LongitudinalSimulation.Result r, double wall) {
        if (r.federated() == null) {
            out.println("run " + r.status() + ": no global model to evaluate");
            return;
        }
        out.printf(Locale.ROOT, "model %s, %d parameters (digest %s)%n", r.spec().kind(), r.spec().parameterCount(),
                r.spec().digest().substring(0, 12));
        out.printf(Locale.ROOT, "%-28s %8s %8s %8s%n", "pooled test (" + r.federated().n() + " stays)", "AUROC", "AUPRC", "acc");
        line(out, "federated (FedAvg)", r.federated());
        if (r.pooled() != null) line(out, "pooled (centralised)", r.pooled());
        if (!r.local().isEmpty()) {
            out.printf(Locale.ROOT, "%-28s %8s %8s%n", "local-only, mean own-site", f(r.localMeanOwnAuroc()), f(r.localMeanOwnAuprc()));
            r.local().forEach((site, fig) -> line(out, "  local " + site, fig));
        }
        out.println("per site (own test stays): AUROC federated / pooled / local-only");
        for (String site : r.federated().perSite().keySet()) {
            var fs = r.federated().perSite().get(site);
            String pooled = r.pooled() == null ? "-" : f(r.pooled().perSite().get(site).auroc());
            String local = r.local().containsKey(site) ? f(r.local().get(site).perSite().get(site).auroc()) : "-";
            out.printf(Locale.ROOT, "  %-16s n=%4d (%3d deaths)  %s / %s / %s%n", site, fs.n(), fs.positives(), f(fs.auroc()), pooled, local);
        }
        if (sc.targetPooledAuroc() != null) {
            boolean met = r.federated().auroc() != null && r.federated().auroc() >= sc.targetPooledAuroc();
            out.printf(Locale.ROOT, "target federated pooled-test AUROC >= %.2f: %s (%s)%n", sc.targetPooledAuroc(), met ? "met" : "NOT MET",
                    f(r.federated().auroc()));
        }
        out.printf(Locale.ROOT, "wall time %.1f s%n", wall);
    }

    private static void line(PrintStream out, String what, LongitudinalSimulation.Figures f) {
        out.printf(Locale.ROOT, "%-28s %8s %8s %8s%n", what, f(f.auroc()), f(f.auprc()), f(f.accuracy()));
    }

    private static String f(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.4f", d);
    }

    static ObjectNode summary(ObjectMapper json, LongitudinalScenario sc, LongitudinalSimulation.Result r, double wall) {
        ObjectNode root = json.createObjectNode();
        root.put("scenario", sc.name());
        root.put("seed", sc.seed());
        root.put("status", r.status());
        root.put("rounds", sc.federation().policy().rounds());
        root.put("rounds_aggregated", r.run().rounds().stream().filter(x -> x.status().startsWith("ok")).count());
        Reports.secureAggregation(root, sc.federation().secureAggregation());
        ArrayNode cfgs = root.putArray("site_configs");
        sc.siteFiles().forEach(p -> cfgs.add(p.toString()));
        ObjectNode sizes = root.putObject("sites");
        r.siteSizes().forEach((k, v) -> sizes.putObject(k).put("train", v[0]).put("test", v[1]));
        if (r.spec() != null) {
            root.put("model_kind", r.spec().kind());
            root.put("model_digest", r.spec().digest());
            root.put("parameters", r.spec().parameterCount());
        }
        if (r.federated() != null) {
            figures(root.putObject("federated"), r.federated());
            if (r.pooled() != null) figures(root.putObject("pooled"), r.pooled());
            ObjectNode local = root.putObject("local_only");
            putNullable(local, "mean_own_site_auroc", r.localMeanOwnAuroc());
            putNullable(local, "mean_own_site_auprc", r.localMeanOwnAuprc());
            r.local().forEach((k, v) -> figures(local.putObject(k), v));
        }
        if (sc.targetPooledAuroc() != null) {
            ObjectNode t = root.putObject("targets");
            t.put("pooled_test_auroc", sc.targetPooledAuroc());
            t.put("met", r.federated() != null && r.federated().auroc() != null && r.federated().auroc() >= sc.targetPooledAuroc());
        }
        root.put("wall_seconds", Math.round(wall * 10) / 10.0);
        return root;
    }

    private static void figures(ObjectNode o, LongitudinalSimulation.Figures f) {
        o.put("pooled_test_n", f.n());
        putNullable(o, "pooled_test_auroc", f.auroc());
        putNullable(o, "pooled_test_auprc", f.auprc());
        putNullable(o, "pooled_test_accuracy", f.accuracy());
        ObjectNode per = o.putObject("per_site");
        f.perSite().forEach((k, v) -> {
            ObjectNode s = per.putObject(k);
            s.put("n_test", v.n());
            s.put("positives", v.positives());
            putNullable(s, "auroc", v.auroc());
            putNullable(s, "auprc", v.auprc());
        });
    }

    private static void putNullable(ObjectNode o, String k, Double v) {
        if (v == null) o.putNull(k);
        else o.put(k, Math.round(v * 1e4) / 1e4);
    }
}

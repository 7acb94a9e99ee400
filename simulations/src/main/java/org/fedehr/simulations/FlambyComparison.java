package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Our figures beside FLamby's published ones for the same dataset, split and methods: for each FLamby method (pooled
 * training, local training on centre k, and each federated strategy with 100 local steps) the "mean over clients"
 * (mean over the K sites' own test sets, then mean ± population sd over seeds: FLamby's headline) and the figure on the
 * pooled test set, ours next to FLamby's. FLamby's figures are read from its result CSVs at run time
 * ({@link FlambyResults}), never written into the code. The metric is accuracy (Fed-Heart-Disease) or the C-index
 * (Fed-TCGA-BRCA).
 *
 * <p>A scenario asks for it with
 * <pre>
 * flamby:
 *   dataset: fed_tcga_brca        # or fed_heart_disease: FEDEHR_DATA/flamby_results/results_benchmark_&lt;dataset&gt;/
 *   at_least_flamby: [federated]  # methods whose figures (both) must reach FLamby's; "federated" = every strategy run
 *   targets: {fedadam: {pooled_test: 0.84}}   # absolute targets per method (mean over seeds)
 * </pre>
 * Sites are matched to FLamby's centres by their order in the scenario ({@code sites[k]} is centre k).
 *
 * @param rows   one per FLamby method, in FLamby's order, then any method we ran that FLamby did not publish
 * @param checks the targets, evaluated
 */
public record FlambyComparison(Spec spec, FlambyResults flamby, List<Row> rows, List<Check> checks) {

    /** The {@code flamby:} block of a scenario. */
    public record Spec(String dataset, List<String> atLeastFlamby, Map<String, Map<String, Double>> targets,
                       Map<String, Map<String, Object>> methods) {
        static final Set<String> KEYS = Set.of("dataset", "at_least_flamby", "targets", "methods");

        public Spec(String dataset, List<String> atLeastFlamby, Map<String, Map<String, Double>> targets) {
            this(dataset, atLeastFlamby, targets, Map.of());
        }
        static final Set<String> FIGURES = Set.of("mean_over_clients", "pooled_test");

        /** {@code accuracy} for Fed-Heart-Disease, {@code c_index} for Fed-TCGA-BRCA. */
        public String metric() {
            return dataset.equals("fed_tcga_brca") ? "c_index" : "accuracy";
        }
    }

    /** One method: ours (null when not run) and FLamby's (null when not published), each over seeds. */
    public record Row(String method, String ours, FlambyResults.Stat oursMeanOverClients, FlambyResults.Stat oursPooledTest,
                      FlambyResults.Stat flambyMeanOverClients, FlambyResults.Stat flambyPooledTest) {
    }

    /** A target: {@code value >= target}, where the target is FLamby's figure or an absolute one. */
    public record Check(String method, String figure, String against, double target, Double value) {
        public boolean met() {
            return value != null && value >= target;
        }
    }

    /** FLamby's method name for each of our strategies. */
    static final Map<String, String> FLAMBY_METHOD = Map.of("fedavg", "FedAvg100", "fedprox", "FedProx100",
            "scaffold", "Scaffold100", "fedadam", "FedAdam100", "fedyogi", "FedYogi100", "fedadagrad", "FedAdagrad100",
            "cyclic", "Cyclic100");
    private static final List<String> DATASETS = List.of("fed_heart_disease", "fed_tcga_brca");

    /** The scenario's {@code flamby:} block, or null when it has none. */
    static Spec readSpec(Yaml y) {
        if (!y.has("flamby")) return null;
        y.onlyKeys("flamby", Spec.KEYS);
        String dataset = y.requiredString("flamby.dataset");
        if (!DATASETS.contains(dataset)) throw y.error("flamby.dataset", "unknown dataset '" + dataset + "' (expected one of " + DATASETS + ")");
        List<String> atLeast = y.strings("flamby.at_least_flamby").stream().map(String::trim).toList();
        Map<String, Map<String, Double>> targets = new TreeMap<>();
        y.map("flamby.targets").forEach((k, v) -> {
            int dot = k.indexOf('.');
            String figure = dot < 0 ? "" : k.substring(dot + 1);
            if (dot < 0 || !Spec.FIGURES.contains(figure))
                throw y.error("flamby.targets." + k, "expected {<method>: {mean_over_clients: x, pooled_test: y}}");
            double t = y.number("flamby.targets." + k, 0);
            if (!(t >= 0 && t <= 1)) throw y.error("flamby.targets." + k, "must be in [0, 1], was " + t);
            targets.computeIfAbsent(k.substring(0, dot), x -> new TreeMap<>()).put(figure, t);
        });
        Map<String, Map<String, Object>> methods = new LinkedHashMap<>();
        if (y.has("flamby.methods")) {
            org.apache.commons.configuration2.HierarchicalConfiguration<org.apache.commons.configuration2.tree.ImmutableNode> sub =
                    y.config.configurationAt("flamby.methods");
            for (var m : sub.getNodeModel().getNodeHandler().getRootNode().getChildren()) {
                String name = m.getNodeName();
                if (!FLAMBY_METHOD.containsKey(name) && !org.fedehr.coordinator.Strategies.NAMES.contains(name))
                    throw y.error("flamby.methods." + name, "unknown strategy (available: " + String.join(", ", org.fedehr.coordinator.Strategies.NAMES) + ")");
                Map<String, Object> set = new LinkedHashMap<>();
                for (var c : m.getChildren()) flatten(c, "", set);
                if (methods.put(name, set) != null) throw y.error("flamby.methods." + name, "listed twice");
            }
        }
        return new Spec(dataset, atLeast, targets, methods);
    }

    /** A method's overrides as dotted scenario keys, e.g. {@code federation.strategy_params.eta}. */
    private static void flatten(org.apache.commons.configuration2.tree.ImmutableNode node, String prefix, Map<String, Object> out) {
        String name = prefix.isEmpty() ? node.getNodeName() : prefix + "." + node.getNodeName();
        if (!node.getChildren().isEmpty()) {
            for (var c : node.getChildren()) flatten(c, name, out);
            return;
        }
        out.put(name, node.getValue());
    }

    /**
     * The comparison for a scenario file that declares {@code flamby:}, or null when it does not.
     *
     * @param dataRoot   holds {@code flamby_results/}
     * @param runs       strategy → its results, one per seed (the first strategy whose results carry the pooled and
     *                   local baselines provides them)
     * @param siteOrder  the scenario's site ids in order: {@code siteOrder[k]} is FLamby's centre k
     */
    public static FlambyComparison forScenario(Path scenarioFile, Path dataRoot, Map<String, List<SeedResult>> runs,
                                               List<String> siteOrder) {
        Spec spec = readSpec(Yaml.load(scenarioFile));
        if (spec == null) return null;
        FlambyResults flamby;
        try {
            flamby = FlambyResults.load(dataRoot.resolve("flamby_results"), spec.dataset());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(scenarioFile + ": flamby: " + e.getMessage(), e);
        }
        return build(spec, flamby, runs, siteOrder);
    }

    static FlambyComparison build(Spec spec, FlambyResults flamby, Map<String, List<SeedResult>> runs, List<String> siteOrder) {
        boolean c = spec.metric().equals("c_index");
        Function<ModelMetrics, Double> meanOverClients = c ? ModelMetrics::meanSiteCIndex : ModelMetrics::meanSiteAccuracy;
        Function<ModelMetrics, Double> pooledTest = c ? ModelMetrics::pooledTestCIndex : ModelMetrics::pooledTestAccuracy;

        // ours, keyed by FLamby's method name
        Map<String, String> oursLabel = new LinkedHashMap<>();
        Map<String, List<ModelMetrics>> ours = new LinkedHashMap<>();
        List<SeedResult> withBaselines = null;
        for (var e : runs.entrySet()) {
            String method = FLAMBY_METHOD.getOrDefault(e.getKey(), e.getKey());
            oursLabel.put(method, e.getKey());
            ours.put(method, e.getValue().stream().map(SeedResult::federated).filter(java.util.Objects::nonNull).toList());
            if (withBaselines == null && e.getValue().stream().anyMatch(r -> r.pooledBaseline() != null || !r.localBaselines().isEmpty()))
                withBaselines = e.getValue();
        }
        if (withBaselines != null) {
            List<ModelMetrics> pooled = withBaselines.stream().map(SeedResult::pooledBaseline).filter(java.util.Objects::nonNull).toList();
            if (!pooled.isEmpty()) {
                ours.put("Pooled Training", pooled);
                oursLabel.put("Pooled Training", "pooled baseline");
            }
            for (int k = 0; k < siteOrder.size(); k++) {
                String site = siteOrder.get(k);
                List<ModelMetrics> local = withBaselines.stream().map(r -> r.localBaselines().get(site)).filter(java.util.Objects::nonNull).toList();
                if (!local.isEmpty()) {
                    ours.put("Local " + k, local);
                    oursLabel.put("Local " + k, "local baseline (" + site + ")");
                }
            }
        }

        List<Row> rows = new ArrayList<>();
        List<String> methods = new ArrayList<>(new java.util.LinkedHashSet<>(flamby.methods().keySet()));
        ours.keySet().forEach(m -> {
            if (!methods.contains(m)) methods.add(m);
        });
        methods.sort(java.util.Comparator.comparingInt(FlambyComparison::rank));   // stable: unknown methods keep their order, last
        for (String m : methods) {
            FlambyResults.MethodFigures f = flamby.method(m);
            List<ModelMetrics> o = ours.get(m);
            rows.add(new Row(m, oursLabel.get(m), o == null ? null : stat(o, meanOverClients), o == null ? null : stat(o, pooledTest),
                    f == null ? null : f.meanOverClients(), f == null ? null : f.pooledTest()));
        }

        List<Check> checks = new ArrayList<>();
        List<String> atLeast = new ArrayList<>();
        for (String s : spec.atLeastFlamby()) {
            if (s.equals("federated")) runs.keySet().forEach(atLeast::add);
            else atLeast.add(s);
        }
        for (String s : atLeast) {
            String m = FLAMBY_METHOD.getOrDefault(s, s);
            Row r = rows.stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
            if (r == null || r.flambyMeanOverClients() == null) continue;
            checks.add(new Check(m, "mean_over_clients", "FLamby", r.flambyMeanOverClients().mean(), mean(r.oursMeanOverClients())));
            if (r.flambyPooledTest() != null)
                checks.add(new Check(m, "pooled_test", "FLamby", r.flambyPooledTest().mean(), mean(r.oursPooledTest())));
        }
        spec.targets().forEach((s, t) -> {
            String m = FLAMBY_METHOD.getOrDefault(s, s);
            Row r = rows.stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
            t.forEach((figure, v) -> checks.add(new Check(m, figure, "absolute", v,
                    r == null ? null : mean(figure.equals("pooled_test") ? r.oursPooledTest() : r.oursMeanOverClients()))));
        });
        return new FlambyComparison(spec, flamby, rows, checks);
    }

    /** FLamby's table order: pooled, local 0..K-1, then the strategies as in its paper, then anything else. */
    private static int rank(String method) {
        if (method.equals("Pooled Training")) return 0;
        if (method.startsWith("Local ")) {
            try {
                return 1 + Integer.parseInt(method.substring(6).trim());
            } catch (NumberFormatException e) {
                return 900;
            }
        }
        int i = List.of("FedAvg100", "FedProx100", "Scaffold100", "FedAdam100", "FedYogi100", "FedAdagrad100", "Cyclic100").indexOf(method);
        return i < 0 ? 1000 : 100 + i;
    }

    private static FlambyResults.Stat stat(List<ModelMetrics> perSeed, Function<ModelMetrics, Double> f) {
        List<Double> v = new ArrayList<>();
        for (ModelMetrics m : perSeed) {
            Double d = f.apply(m);
            if (d != null) v.add(d);
        }
        return FlambyResults.Stat.of(v);
    }

    private static Double mean(FlambyResults.Stat s) {
        return s == null ? null : s.mean();
    }

    /** The comparison as a markdown table, with the targets below it. */
    public String markdown() {
        String metric = spec.metric().equals("c_index") ? "C-index" : "accuracy";
        StringBuilder sb = new StringBuilder();
        sb.append("FLamby comparison: ").append(spec.dataset()).append(" (").append(metric).append("; FLamby's published results from ")
                .append(flamby.source()).append(")\n\n");
        sb.append("| method | ours | ours: mean over clients | FLamby: mean over clients | ours: pooled test | FLamby: pooled test |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.method()).append(" | ").append(r.ours() == null ? "not run" : r.ours()).append(" | ")
                    .append(fmt(r.oursMeanOverClients())).append(" | ").append(fmt(r.flambyMeanOverClients())).append(" | ")
                    .append(fmt(r.oursPooledTest())).append(" | ").append(fmt(r.flambyPooledTest())).append(" |\n");
        }
        sb.append("\nmean ± population sd over seeds (n = seeds); \"mean over clients\" = mean over the ").append(flamby.clients())
                .append(" sites of each site's own test ").append(metric).append(" (FLamby's headline); \"pooled test\" = on the union of the test sets.\n");
        if (!checks.isEmpty()) {
            sb.append("\n| target | figure | required | ours | met |\n|---|---|---|---|---|\n");
            for (Check c : checks)
                sb.append("| ").append(c.method()).append(" | ").append(c.figure()).append(" | ")
                        .append(c.against().equals("FLamby") ? "≥ FLamby's " : "≥ ").append(String.format(Locale.ROOT, "%.4f", c.target()))
                        .append(" | ").append(c.value() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", c.value())).append(" | ")
                        .append(c.met() ? "met" : "NOT MET").append(" |\n");
        }
        return sb.toString();
    }

    /** {@code summary.json}'s {@code flamby_comparison} block. */
    public ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("dataset", spec.dataset());
        o.put("metric", spec.metric());
        o.put("flamby_source", flamby.source().toString());
        o.put("note", "mean_over_clients: mean over sites of each site's own test figure, then mean and population sd over seeds"
                + " (FLamby's headline); pooled_test: on the union of the test sets");
        ArrayNode rs = o.putArray("methods");
        for (Row r : rows) {
            ObjectNode x = rs.addObject();
            x.put("method", r.method());
            if (r.ours() != null) x.put("ours_run", r.ours());
            ObjectNode ours = x.putObject("ours");
            put(ours, "mean_over_clients", r.oursMeanOverClients());
            put(ours, "pooled_test", r.oursPooledTest());
            ObjectNode fl = x.putObject("flamby");
            put(fl, "mean_over_clients", r.flambyMeanOverClients());
            put(fl, "pooled_test", r.flambyPooledTest());
        }
        ArrayNode cs = o.putArray("targets");
        for (Check c : checks) {
            ObjectNode x = cs.addObject();
            x.put("method", c.method());
            x.put("figure", c.figure());
            x.put("against", c.against());
            x.put("target", round(c.target()));
            if (c.value() == null) x.put("value", "n/a");
            else x.put("value", round(c.value()));
            x.put("met", c.met());
        }
        return o;
    }

    private static void put(ObjectNode o, String k, FlambyResults.Stat s) {
        if (s == null) {
            o.put(k, "n/a");
            return;
        }
        ObjectNode x = o.putObject(k);
        x.put("mean", round(s.mean()));
        x.put("sd", round(s.sd()));
        x.put("n", s.n());
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static String fmt(FlambyResults.Stat s) {
        if (s == null) return "–";
        return s.n() == 1 ? String.format(Locale.ROOT, "%.4f (n=1)", s.mean())
                : String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", s.mean(), s.sd(), s.n());
    }
}

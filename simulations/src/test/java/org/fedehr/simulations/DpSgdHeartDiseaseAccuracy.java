package org.fedehr.simulations;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedehr.models.DpSgdSettings;
import org.fedehr.models.DpTrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.privacy.RdpAccountant;
import org.fedehr.protocol.privacy.RdpCurve;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.SiteData;
import org.junit.jupiter.api.Test;

/**
 * Measurement harness (not a regular test): FLamby's Fed-Heart-Disease (configs/simulations/heart-disease.yaml, 4 sites,
 * 20 rounds x 1 epoch, batch 4, FedAvg, secure aggregation on) with DP-SGD at every site, for per-site budgets
 * ε ∈ {1, 3, 8} at δ = 1e-5 over the whole run, against the non-private run. Each site calibrates its own σ with the
 * RDP accountant for its q = 4 / n and 20 * ceil(n / 4) steps (site policy, mapped here from one scenario-level
 * setting); after the run the sites' recorded (q, σ, steps) are composed again to check the spent ε.
 *
 * <p>Runs only with {@code -Dfedehr.dp.accuracy=true} and FEDEHR_DATA. Grid: {@code -Dfedehr.dp.eps=1,3,8},
 * {@code -Dfedehr.dp.clip=0.5,1,2}, {@code -Dfedehr.dp.lr=0.01,0.05,0.2}, {@code -Dfedehr.dp.repeats=1}.
 */
class DpSgdHeartDiseaseAccuracy {

    static final double DELTA = 1e-5;

    private static List<Double> list(String key, String dflt) {
        List<Double> out = new ArrayList<>();
        for (String s : System.getProperty(key, dflt).split(",")) out.add(Double.parseDouble(s.trim()));
        return out;
    }

    @Test
    void epsilonSweep() throws Exception {
        assumeTrue(Boolean.getBoolean("fedehr.dp.accuracy"), "measurement harness: run with -Dfedehr.dp.accuracy=true");
        String env = System.getenv("FEDEHR_DATA");
        assumeTrue(env != null && !env.isBlank(), "FEDEHR_DATA is not set");
        Path dataRoot = Path.of(env);
        assumeTrue(Files.isRegularFile(dataRoot.resolve("heart_disease/flamby_split.csv")), "no heart_disease data");

        Scenario base = Scenario.load(HeartDiseaseSimulationTest.SCENARIO);
        base = new Scenario(base.file(), base.name(), base.seed(), base.siteFiles(), base.federation(), false, false,
                base.baselineTraining(), Scenario.Targets.NONE);
        Map<String, SiteData> data = Simulation.loadSites(base, dataRoot);
        FederationSpec fed = base.federation();
        TrainingSettings tr = fed.training();
        int rounds = fed.policy().rounds();
        int repeats = Integer.getInteger("fedehr.dp.repeats", 1);
        List<String> lines = new ArrayList<>();

        if (Boolean.parseBoolean(System.getProperty("fedehr.dp.plain", "true"))) {
            for (double lr : list("fedehr.dp.plainlr", String.valueOf(tr.learningRate()))) {
                Scenario sc = withLr(base, lr);
                for (int rep = 0; rep < repeats; rep++) {
                    SeedResult r = new Simulation(dataRoot, null, null).run(sc, data);
                    lines.add(row("non-private", Double.NaN, lr, lr, r, Double.NaN));
                    System.out.println(lines.get(lines.size() - 1));
                }
            }
        }
        RdpAccountant acc = new RdpAccountant();
        for (double eps : list("fedehr.dp.eps", "1,3,8")) {
            for (double clip : list("fedehr.dp.clip", "0.5,1,2")) {
                for (double lr : list("fedehr.dp.lr", "0.01,0.05,0.2")) {
                    Map<String, DpSgdSettings> dp = new LinkedHashMap<>();
                    StringBuilder sig = new StringBuilder();
                    for (SiteData d : data.values()) {
                        int n = d.train().size();
                        int b = Math.min(tr.batchSize(), n);
                        double q = DpSgdSettings.samplingRate(b, n);
                        long steps = (long) rounds * tr.epochs() * ((n + b - 1) / b);
                        double sigma = acc.noiseMultiplier(eps, q, steps, DELTA);
                        dp.put(d.siteId(), DpSgdSettings.poisson(clip, sigma));
                        sig.append(String.format("%s n=%d q=%.4f T=%d σ=%.3f; ", d.siteId(), n, q, steps, sigma));
                    }
                    System.out.println("ε=" + eps + " C=" + clip + " lr=" + lr + ": " + sig);
                    for (int rep = 0; rep < repeats; rep++) {
                        Simulation sim = new Simulation(dataRoot, null, null).siteDifferentialPrivacy(dp);
                        SeedResult r = sim.run(withLr(base, lr), data);
                        double spent = 0;
                        for (SiteNode node : sim.lastSiteNodes()) {
                            RdpCurve curve = null;
                            for (DpTrainResult s : node.dpRounds()) {
                                RdpCurve c = acc.curve(s.samplingRate(), s.noiseMultiplier(), s.steps());
                                curve = curve == null ? c : curve.plus(c);
                            }
                            if (curve != null) spent = Math.max(spent, RdpAccountant.epsilon(curve, DELTA,
                                    org.fedehr.protocol.privacy.Conversion.TIGHT).epsilon());
                        }
                        lines.add(row("dp eps=" + eps, clip, lr, lr, r, spent));
                        System.out.println(lines.get(lines.size() - 1));
                    }
                }
            }
        }
        System.out.println("=== DP-SGD heart-disease summary ===");
        lines.forEach(System.out::println);
        Path out = Path.of("target", "dp-sgd-heart-disease.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static Scenario withLr(Scenario sc, double lr) {
        FederationSpec f = sc.federation();
        TrainingSettings t = f.training();
        FederationSpec g = new FederationSpec(f.featuresFile(), f.dictionary(), f.strategy(), f.serverLearningRate(), f.policy(),
                f.maxReplyBytes(), f.model(), new TrainingSettings(t.epochs(), t.steps(), t.batchSize(), t.optimizer(), lr),
                f.secureAggregation());
        return new Scenario(sc.file(), sc.name(), sc.seed(), sc.siteFiles(), g, sc.pooledBaseline(), sc.localBaseline(),
                sc.baselineTraining(), sc.targets());
    }

    private static String row(String what, double clip, double lr, double lr2, SeedResult r, double spent) {
        ModelMetrics m = r.federated();
        if (m == null) return String.format("%-12s C=%-4s lr=%-5s status=%s (no model)", what, clip, lr, r.status());
        return String.format("%-12s C=%-4s lr=%-5s pooled_acc=%.4f mean_site_acc=%.4f auroc=%.4f spent_eps_max=%.3f status=%s %.1fs",
                what, Double.isNaN(clip) ? "-" : clip, lr, m.pooledTestAccuracy(), m.meanSiteAccuracy(),
                m.pooledTestAuroc() == null ? Double.NaN : m.pooledTestAuroc(), spent, r.status(), r.wallSeconds());
    }
}

package org.fedehr.simulations;

import org.fedehr.simulations.faults.FaultPlan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a grid run produced: per configuration its runs (one per seed), and the pooled / local-only baselines,
 * trained once per seed (and once per distinct baseline setup, when settings change the data, model or baseline
 * training) and shared by every configuration they apply to.
 *
 * @param started     when the grid started (provenance only)
 * @param wallSeconds the whole grid, preflight included
 * @param faultPlans  configuration id → seed → the faults injected into that run (empty without {@code faults:})
 * @param flamby      our figures beside FLamby's published ones, when the scenario declares {@code flamby:} (else null)
 */
public record GridResult(ScenarioGrid grid, List<ConfigurationRuns> configurations, List<Baselines> baselines,
                         Instant started, double wallSeconds, Map<String, Map<Long, FaultPlan>> faultPlans,
                         FlambyComparison flamby) {
    public GridResult {
        configurations = List.copyOf(configurations);
        baselines = List.copyOf(baselines);
        faultPlans = faultPlans == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(faultPlans));
    }

    /** A grid result without injected faults or FLamby comparison. */
    public GridResult(ScenarioGrid grid, List<ConfigurationRuns> configurations, List<Baselines> baselines, Instant started,
                      double wallSeconds) {
        this(grid, configurations, baselines, started, wallSeconds, Map.of(), null);
    }

    /** What was injected into round {@code round} of a configuration's run of {@code seed} (empty: nothing). */
    public List<String> injected(String configurationId, long seed, int round) {
        FaultPlan p = faultPlans.getOrDefault(configurationId, Map.of()).get(seed);
        return p == null ? List.of() : p.injected(round);
    }

    /** One configuration's runs, in seed order. */
    public record ConfigurationRuns(GridConfiguration configuration, List<SeedRun> runs) {
        public ConfigurationRuns {
            runs = List.copyOf(runs);
        }

        /** The runs that produced a result (a run that threw has none). */
        public List<SeedResult> results() {
            List<SeedResult> out = new ArrayList<>();
            for (SeedRun r : runs) if (r.result() != null) out.add(r.result());
            return out;
        }
    }

    /**
     * One seed of one configuration.
     *
     * @param result      null when the run threw (then {@code error} says what)
     * @param baselinesId the {@link Baselines} that apply to this run, or null when none were trained
     */
    public record SeedRun(long seed, SeedResult result, String error, String baselinesId) {
        public SeedRun {
            if ((result == null) == (error == null))
                throw new IllegalArgumentException("a seed run has either a result or an error, seed " + seed);
        }
    }

    /**
     * Pooled and local-only baselines of one seed.
     *
     * @param id             {@code b1}, {@code b2}, …
     * @param configurations ids of the configurations whose runs of this seed share them
     * @param pooled         null when the scenario disables it
     * @param local          site → a model trained on that site alone (empty when disabled)
     */
    public record Baselines(String id, long seed, List<String> configurations, ModelMetrics pooled,
                            SortedMap<String, ModelMetrics> local) {
        public Baselines {
            configurations = List.copyOf(configurations);
            local = Collections.unmodifiableSortedMap(new TreeMap<>(local));
        }

        /** Each site's own model on its own test split, per site. */
        public Map<String, Double> localOwnSiteAccuracy() {
            return localOwnSite(SiteMetrics::accuracy);
        }

        /** Each site's own model's value of {@code f} on its own test split, per site (sites without one left out). */
        public Map<String, Double> localOwnSite(java.util.function.Function<SiteMetrics, Double> f) {
            Map<String, Double> out = new LinkedHashMap<>();
            local.forEach((site, m) -> {
                SiteMetrics own = m.perSite().get(site);
                if (own != null && f.apply(own) != null) out.put(site, f.apply(own));
            });
            return out;
        }
    }

    public Baselines baselines(String id) {
        for (Baselines b : baselines) if (b.id().equals(id)) return b;
        return null;
    }
}

package org.fedehr.simulations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedehr.simulations.faults.FaultPlan;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scenario's injected faults in the run's outputs: the plan per seed, and the lines of the per-round table. */
final class Faults {
    private Faults() {
    }

    /**
     * The fault plan of every seed (empty when the scenario injects none). Checks, before anything runs, that every
     * site a fault names exists and every round lies within the run.
     */
    static Map<Long, FaultPlan> plans(Scenario sc, List<Long> seeds, Collection<String> sites) {
        Map<Long, FaultPlan> out = new LinkedHashMap<>();
        if (sc.faults() == null) return out;
        for (long seed : seeds) {
            try {
                out.put(seed, new FaultPlan(sc.faults(), seed, new ArrayList<>(sites), sc.federation().policy().rounds()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(sc.file() + ": faults." + e.getMessage(), e);
            }
        }
        return out;
    }

    static void printPlan(PrintStream out, FaultPlan plan) {
        long rounds = plan.injected().values().stream().filter(l -> !l.isEmpty()).count();
        out.println("fault injection (seed " + plan.seed() + "): faults in " + rounds + " of " + plan.injected().size()
                + " rounds, marked ⚡ under each round");
    }

    static void printRound(PrintStream out, FaultPlan plan, int round) {
        for (String f : plan.injected(round)) out.println("       ⚡ injected: " + f);
    }

    /** {"seed 42": {"fault_seed": 42, "per_round": {"1": [...], ...}}, ...}: rounds without faults are left out. */
    static ObjectNode json(Map<Long, FaultPlan> plans) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (var e : plans.entrySet()) {
            ObjectNode s = o.putObject("seed " + e.getKey());
            s.put("fault_seed", e.getValue().seed());
            ObjectNode per = s.putObject("per_round");
            for (var r : e.getValue().injected().entrySet()) {
                if (r.getValue().isEmpty()) continue;
                var arr = per.putArray(String.valueOf(r.getKey()));
                r.getValue().forEach(arr::add);
            }
        }
        return o;
    }
}

package org.fedehr.site.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;

/**
 * A project's budget at one site, its spending persisted in the policy's state file so that it carries over from one
 * run of the project to the next:
 * <pre>
 * {"projects": {"heart-disease": {"cleveland": {"epsilon_spent": 1.2, "delta_spent": 2.0E-6,
 *     "spends": [{"run_id": "...", "epsilon": 0.6, "delta": 1.0E-6, "at": "2026-12-04T08:00:00Z"}]}}}}
 * </pre>
 */
public final class PrivacyBudgetStore implements PrivacyBudget {
    private static final Object LOCK = new Object();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rounding slack when comparing sums of doubles with the budget. */
    private static final double SLACK = 1e-12;
    private final SitePolicy.Budget budget;
    private final String siteId;
    private final Clock clock;

    public PrivacyBudgetStore(SitePolicy.Budget budget, String siteId, Clock clock) {
        if (budget == null || siteId == null) throw new IllegalArgumentException("budget and siteId must not be null");
        this.budget = budget;
        this.siteId = siteId;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    public SitePolicy.Budget budget() {
        return budget;
    }

    @Override
    public boolean wouldExceed(double epsilon, double delta) {
        synchronized (LOCK) {
            JsonNode me = entry(read());
            return me.path("epsilon_spent").asDouble(0) + epsilon > budget.epsilon() + SLACK
                    || me.path("delta_spent").asDouble(0) + delta > budget.delta() + SLACK;
        }
    }

    @Override
    public void spend(double epsilon, double delta, String runId) {
        if (!(epsilon >= 0) || !(delta >= 0)) throw new IllegalArgumentException("spent epsilon and delta must be >= 0");
        synchronized (LOCK) {
            if (wouldExceed(epsilon, delta))
                throw new IllegalStateException(Refusal.BUDGET_EXHAUSTED + ": project " + budget.project() + " at " + siteId);
            ObjectNode root = read();
            ObjectNode me = root.with("projects").with(budget.project()).with(siteId);
            me.put("epsilon_spent", me.path("epsilon_spent").asDouble(0) + epsilon);
            me.put("delta_spent", me.path("delta_spent").asDouble(0) + delta);
            me.withArray("spends").addObject().put("run_id", runId).put("epsilon", epsilon).put("delta", delta)
                    .put("at", clock.instant().toString());
            StateFiles.writeAtomically(budget.stateFile(), root);
        }
    }

    @Override
    public double epsilonSpent() {
        synchronized (LOCK) {
            return entry(read()).path("epsilon_spent").asDouble(0);
        }
    }

    @Override
    public double deltaSpent() {
        synchronized (LOCK) {
            return entry(read()).path("delta_spent").asDouble(0);
        }
    }

    private JsonNode entry(ObjectNode root) {
        return root.path("projects").path(budget.project()).path(siteId);
    }

    private ObjectNode read() {
        if (!Files.exists(budget.stateFile())) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(budget.stateFile().toFile());
            if (n == null || !n.isObject()) throw new IllegalStateException(budget.stateFile() + ": not a budget state file");
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new IllegalStateException(budget.stateFile() + ": cannot read privacy budget state: " + e.getMessage(), e);
        }
    }
}

package org.fedehr.coordinator;

import org.fedehr.protocol.msg.EvalMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The run asks its strategy which sites train and evaluate, and how evaluations combine. */
class StrategyHooksTest {

    /** FedAvg that trains only on A and B and evaluates only on C, recording what it was given. */
    static final class Picky implements Strategy {
        final FedAvg inner = new FedAvg();
        final List<Integer> evaluatedRounds = new CopyOnWriteArrayList<>();
        final List<Map<String, EvalMetrics>> seen = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "picky";
        }

        @Override
        public List<String> configureTrain(int round, List<String> available) {
            List<String> l = new ArrayList<>(available);
            l.retainAll(List.of("A", "B"));
            return l;
        }

        @Override
        public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
            return inner.aggregateTrain(round, global, updates, failures);
        }

        @Override
        public List<String> configureEvaluate(int round, List<String> available) {
            return List.of("C");
        }

        @Override
        public EvaluationSummary aggregateEvaluate(int round, Map<String, EvalMetrics> perSite, List<SiteFailure> failures) {
            evaluatedRounds.add(round);
            seen.add(Map.copyOf(perSite));
            return Strategy.super.aggregateEvaluate(round, perSite, failures);
        }
    }

    @Test
    void selectionAndEvaluationGoThroughTheStrategy() throws Exception {
        Picky picky = new Picky();
        try (Federation fed = new Federation(Federation.policy(2, 3, 2, 5_000, 200), 3, picky)) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 30).delta(3f);
            fed.site("C", 60).delta(100f).eval(20, 15);
            fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.selected()).containsExactly("A", "B");
            // (10*1 + 30*3) / 40 = 2.5 on top of 10: C's delta of 100 never entered, it was not asked to train
            assertThat(fed.globals.get(0)).containsOnly(12.5f);
            assertThat(fed.sites.get("C").received).noneMatch(t -> t.kind() == org.fedehr.protocol.msg.TaskKind.TRAIN);
            // only C evaluated, every round, and the summary is C's
            assertThat(picky.evaluatedRounds).containsExactly(1, 2);
            assertThat(picky.seen).allMatch(m -> m.keySet().equals(java.util.Set.of("C")));
            assertThat(r1.evaluation().perSite()).containsOnlyKeys("C");
            assertThat(r1.evaluation().accuracy()).isEqualTo(0.75);
        }
    }
}

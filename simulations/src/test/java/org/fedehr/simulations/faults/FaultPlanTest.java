package org.fedehr.simulations.faults;

import org.fedehr.site.UpdateTransform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The fault plan: seeded, decided up front, and described per round. */
class FaultPlanTest {
    static final List<String> SITES = List.of("A", "B", "C", "D", "E");

    static FaultSpec spec(FaultSpec.Dropout d, FaultSpec.Stragglers s, List<FaultSpec.Crash> c, List<FaultSpec.NetworkPartition> p,
                          List<FaultSpec.Misbehaving> m, List<FaultSpec.SiteRounds> errors) {
        return new FaultSpec(null, d, s, c, p, m, errors, List.of());
    }

    @Test
    void dropoutWithAFixedSeedDropsExactlyTheSitesTheSeededDrawsPick() {
        FaultPlan plan = new FaultPlan(spec(new FaultSpec.Dropout(0.3, List.of(), 1), null, List.of(), List.of(), List.of(), List.of()),
                42, SITES, 6);
        assertThat(plan.droppedOut(1)).isEmpty();
        assertThat(plan.droppedOut(2)).containsExactly("E");
        assertThat(plan.droppedOut(3)).containsExactly("C");
        assertThat(plan.droppedOut(4)).containsExactly("A", "E");
        assertThat(plan.droppedOut(5)).containsExactly("C");
        assertThat(plan.droppedOut(6)).containsExactly("B", "E");
        // each draw is Random(streamSeed(seed, kind, round, site)).nextDouble() < p: recomputed here for round 4
        for (String s : SITES) {
            double u = new Random(FaultPlan.streamSeed(42, 0xD509L, 4, s)).nextDouble();
            assertThat(plan.droppedOut(s, 4)).isEqualTo(u < 0.3);
        }
        assertThat(plan.injected(4)).containsExactly("A: dropout (connection cut after the model download)",
                "E: dropout (connection cut after the model download)");
        // the spec's own seed wins over the run's; another seed, other draws
        FaultPlan again = new FaultPlan(new FaultSpec(42L, plan.spec().dropout(), null, List.of(), List.of(), List.of(), List.of(), List.of()),
                7, SITES, 6);
        assertThat(again.injected()).isEqualTo(plan.injected());
        FaultPlan other = new FaultPlan(plan.spec(), 43, SITES, 6);
        assertThat(other.injected()).isNotEqualTo(plan.injected());
    }

    @Test
    void dropoutFrequencyFollowsTheProbabilityAndItsLimits() {
        FaultPlan half = new FaultPlan(spec(new FaultSpec.Dropout(0.5, List.of("B"), 3), null, List.of(), List.of(), List.of(), List.of()),
                1, SITES, 4000);
        int n = 0;
        for (int r = 1; r <= 4000; r++) {
            if (half.droppedOut("B", r)) n++;
            assertThat(half.droppedOut("A", r)).as("A is not listed").isFalse();
        }
        assertThat(half.droppedOut("B", 1)).as("before from_round").isFalse();
        assertThat(half.droppedOut("B", 2)).isFalse();
        assertThat(n / 3998.0).isCloseTo(0.5, within(0.03));
        FaultPlan all = new FaultPlan(spec(new FaultSpec.Dropout(1, List.of(), 1), null, List.of(), List.of(), List.of(), List.of()), 1, SITES, 3);
        assertThat(all.droppedOut(2)).containsExactlyElementsOf(SITES);
    }

    @Test
    void crashAndRejoinTimeline() {
        FaultPlan plan = new FaultPlan(spec(new FaultSpec.Dropout(1.0, List.of("C"), 1), null,
                List.of(new FaultSpec.Crash("C", 3, 6)), List.of(new FaultSpec.NetworkPartition("D", 2, 3)), List.of(), List.of()), 5, SITES, 8);
        assertThat(plan.crashedAt("C", 3)).isTrue();
        for (int r = 1; r <= 8; r++) assertThat(plan.down("C", r)).as("round " + r).isEqualTo(r == 4 || r == 5);
        assertThat(plan.rejoinRound("C")).isEqualTo(6);
        // the dropout of C (probability 1) does not count while C is crashed or down
        assertThat(plan.droppedOut("C", 2)).isTrue();
        assertThat(plan.droppedOut("C", 3)).isFalse();
        assertThat(plan.droppedOut("C", 4)).isFalse();
        assertThat(plan.droppedOut("C", 6)).isTrue();
        assertThat(plan.injected(3)).containsExactly("C: crash (connection cut after the model download; down until round 6)",
                "D: network partition (round 2 of 3, transport errors)");
        assertThat(plan.injected(4)).containsExactly("C: down (crashed in round 3)", "D: network partition (round 3 of 3, transport errors)");
        assertThat(plan.injected(6)).containsExactly("C: rejoins (registers again)", "C: dropout (connection cut after the model download)");
        for (int r = 1; r <= 8; r++) assertThat(plan.partitioned("D", r)).isEqualTo(r >= 2 && r <= 4);
        assertThat(new FaultPlan(spec(null, null, List.of(new FaultSpec.Crash("C", 2, 0)), List.of(), List.of(), List.of()), 5, SITES, 5)
                .injected(2)).containsExactly("C: crash (connection cut after the model download; does not rejoin)");
    }

    @Test
    void stragglerDelaysFollowTheirDistribution() {
        FaultPlan fixed = new FaultPlan(spec(null, new FaultSpec.Stragglers(FaultSpec.Distribution.FIXED, 2.5, 0, 0, 0, 1, List.of("B"), List.of(2)),
                List.of(), List.of(), List.of(), List.of()), 1, SITES, 3);
        assertThat(fixed.stragglerDelaySeconds("B", 2)).isEqualTo(2.5);
        assertThat(fixed.stragglerDelaySeconds("B", 1)).isZero();
        assertThat(fixed.stragglerDelaySeconds("A", 2)).isZero();
        assertThat(fixed.injected(2)).containsExactly("B: straggler (TRAIN reply held back 2.50 s)");
        for (FaultSpec.Distribution d : List.of(FaultSpec.Distribution.EXPONENTIAL, FaultSpec.Distribution.LOGNORMAL, FaultSpec.Distribution.UNIFORM)) {
            FaultPlan p = new FaultPlan(spec(null, new FaultSpec.Stragglers(d, 2.0, 1.0, 3.0, 0.5, 1, List.of(), List.of()),
                    List.of(), List.of(), List.of(), List.of()), 9, SITES, 4000);
            double sum = 0;
            for (int r = 1; r <= 4000; r++) {
                double x = p.stragglerDelaySeconds("A", r);
                assertThat(x).isPositive();
                if (d == FaultSpec.Distribution.UNIFORM) assertThat(x).isBetween(1.0, 3.0);
                sum += x;
            }
            assertThat(sum / 4000).as(d + " mean").isCloseTo(2.0, within(0.1));
        }
    }

    @Test
    void misbehavingSitesSendWhatTheirModeSays() {
        float[] delta = {0.5f, -0.25f, 0f, 0.125f};
        FaultPlan plan = new FaultPlan(spec(null, null, List.of(), List.of(), List.of(
                new FaultSpec.Misbehaving("A", FaultSpec.Mode.SIGN_FLIP, 1, 1),
                new FaultSpec.Misbehaving("B", FaultSpec.Mode.SCALE, 10, 2),
                new FaultSpec.Misbehaving("C", FaultSpec.Mode.RANDOM, 2, 1)), List.of(new FaultSpec.SiteRounds("D", List.of(2)))), 3, SITES, 3);
        assertThat(plan.transform("A").apply(1, delta.clone())).containsExactly(-0.5f, 0.25f, -0f, -0.125f);
        UpdateTransform b = plan.transform("B");
        assertThat(b.apply(1, delta.clone())).as("honest before from_round").containsExactly(delta);
        assertThat(b.apply(2, delta.clone())).containsExactly(5f, -2.5f, 0f, 1.25f);
        float[] r1 = plan.transform("C").apply(1, delta.clone());
        assertThat(plan.transform("C").apply(1, delta.clone())).as("seeded per site and round").containsExactly(r1);
        assertThat(plan.transform("C").apply(2, delta.clone())).isNotEqualTo(r1);
        assertThat(plan.transform("E")).as("an honest site has no transform").isNull();
        assertThat(plan.transform("D").apply(1, delta.clone())).containsExactly(delta);
        assertThatThrownBy(() -> plan.transform("D").apply(2, delta.clone()))
                .isInstanceOf(FaultPlan.InjectedTrainerFailure.class).hasMessage("injected trainer failure in round 2");
        assertThat(plan.injected(2)).containsExactly("A: sign-flipped update (-delta)", "B: scaled update (10.0 x delta)",
                "C: random update (N(0, 2.0^2) values)", "D: trainer throws (injected)");
    }

    @Test
    void unknownSitesAndRoundsAfterTheRunAreRefusedByName() {
        assertThatThrownBy(() -> new FaultPlan(spec(null, null, List.of(new FaultSpec.Crash("X", 2, 0)), List.of(), List.of(), List.of()),
                1, SITES, 5)).hasMessage("crash[0].site: 'X' is not a site of this scenario (sites: A, B, C, D, E)");
        assertThatThrownBy(() -> new FaultPlan(spec(null, null, List.of(), List.of(new FaultSpec.NetworkPartition("A", 6, 1)), List.of(), List.of()),
                1, SITES, 5)).hasMessage("partition[0].from_round: round 6 is after the last round (5): the fault would never happen");
        assertThatThrownBy(() -> new FaultSpec.Crash("A", 3, 3)).hasMessage("rejoin_round must be after at_round 3, was 3");
        assertThatThrownBy(() -> new FaultSpec.NetworkPartition("A", 1, 9)).hasMessageContaining("rounds must be in 1..8");
    }
}

package org.fedehr.coordinator;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainSummary;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Secure aggregation through the coordinator's real round logic ({@link FederationRun}): fake sites run the real
 * site-side protocol ({@code SecAggSite}), the coordinator only ever holds masked vectors and their sum.
 */
@DisplayName("secure aggregation in FederationRun (C03-C06 under masking)")
class SecureAggregationRunTest {
    static final long DEADLINE_MS = 10_000;
    static final long GRACE_MS = 500;

    static SecureAggregation secure(int threshold) {
        return new SecureAggregation(threshold, 8.0, 1e-6, 0);
    }

    @Test
    @DisplayName("C06: A=1, B=2, C=4 with n=10/30/60 give 3.1, as plain FedAvg does; no masked upload equals a plain one")
    void c06WeightedMeanUnderMasking() throws Exception {
        List<int[]> held = new CopyOnWriteArrayList<>();
        float[] secureGlobal, plainGlobal;
        try (Federation fed = new Federation(Federation.policy(1, 3, 3, DEADLINE_MS, GRACE_MS), 4, new FedAvg(), secure(0))) {
            fed.run.observeMaskedInputs(held::add);
            fed.site("A", 10).delta(1f);
            fed.site("B", 30).delta(2f);
            fed.site("C", 60).delta(4f);
            RunResult result = fed.start().await();
            RoundRecord r = fed.round(1);
            assertThat(r.status()).isEqualTo("completed");
            assertThat(r.contributed()).isEqualTo(Map.of("A", 10.0, "B", 30.0, "C", 60.0));
            secureGlobal = result.finalGlobal();
            for (float v : secureGlobal) assertThat((double) v - Federation.G0).isCloseTo(3.1, within(1e-6));
            // the coordinator held exactly three vectors, each masked: none equals (or is close to) a site's plain encoding
            assertThat(held).hasSize(3);
            for (FakeSite s : fed.allSites) {
                int[] plain = s.plainEncoded.get(1);
                for (int[] h : held) assertThat(Arrays.equals(h, plain)).isFalse();
            }
            assertThat(fed.events).anyMatch(e -> e.startsWith("secure aggregation round 1: t=2, 3 of 3 masked updates"));
        }
        try (Federation fed = new Federation(Federation.policy(1, 3, 3, DEADLINE_MS, GRACE_MS), 4)) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 30).delta(2f);
            fed.site("C", 60).delta(4f);
            plainGlobal = fed.start().await().finalGlobal();
        }
        for (int i = 0; i < 4; i++) assertThat((double) secureGlobal[i]).isCloseTo(plainGlobal[i], within(1e-6));
    }

    @Test
    @DisplayName("instrumented: every vector the coordinator receives is masked (no agreement with, no correlation to, any plain update)")
    void coordinatorNeverHoldsAnUnmaskedUpdate() throws Exception {
        int p = 4096;
        List<int[]> held = new CopyOnWriteArrayList<>();
        try (Federation fed = new Federation(Federation.policy(1, 5, 5, DEADLINE_MS, GRACE_MS), p, new FedAvg(), secure(0))) {
            fed.run.observeMaskedInputs(held::add);
            java.util.Random rnd = new java.util.Random(11);
            for (String id : List.of("A", "B", "C", "D", "E")) {
                float[] d = new float[p];
                for (int i = 0; i < p; i++) d[i] = (float) rnd.nextGaussian();
                fed.site(id, 20 + rnd.nextInt(50)).delta(d);
            }
            RunResult result = fed.start().await();
            assertThat(result.status()).isEqualTo("completed 1 round");
            assertThat(held).hasSize(5);
            for (FakeSite s : fed.allSites) {
                int[] plain = s.plainEncoded.get(1);
                for (int[] h : held) {
                    int same = 0;
                    for (int i = 0; i < p; i++) if (h[i] == plain[i]) same++;
                    assertThat(same).as("elements equal to site %s's plain encoding", s.id).isLessThan(p / 100);
                    assertThat(Math.abs(correlation(h, plain))).as("correlation with site %s's plain encoding", s.id).isLessThan(0.08);
                }
            }
        }
    }

    static double correlation(int[] a, int[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    @DisplayName("C05: D takes part in key agreement, then disconnects before uploading: A-C aggregate, D is recovered")
    void c05DropoutAfterKeyAgreement() throws Exception {
        try (Federation fed = new Federation(Federation.policy(2, 4, 3, DEADLINE_MS, GRACE_MS), 5, new FedAvg(), secure(3))) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).delta(4f);
            fed.site("C", 50).delta(-2f);
            fed.site("D", 80).delta(50f).onTrain(1, FakeSite.disappear());
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.selected()).containsExactly("A", "B", "C", "D");
            assertThat(r1.contributed()).isEqualTo(Map.of("A", 100.0, "B", 50.0, "C", 50.0));
            assertThat(r1.status()).startsWith("completed with 1 failure (D: timeout");
            // (100*1 + 50*4 + 50*-2) / 200 = 1
            for (float v : fed.globals.get(0)) assertThat((double) v).isCloseTo(Federation.G0 + 1.0, within(1e-6));
            // D is gone for good: round 2 runs with the three others from the start
            assertThat(fed.round(2).status()).startsWith("completed with 1 failure (D: timeout");
            assertThat(result.status()).isEqualTo("completed 2 rounds");
        }
    }

    @Test
    @DisplayName("C05: fewer than t survivors -> the round fails closed, nothing is unmasked, the model is unchanged")
    void c05BelowThresholdFailsClosed() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 4, 2, 1_500, 200), 5, new FedAvg(), secure(3))) {
            fed.site("A", 100).delta(1f);
            fed.site("B", 50).delta(4f);
            fed.site("C", 50).delta(-2f).onTrain(1, FakeSite.disappear());
            fed.site("D", 80).delta(50f).onTrain(1, FakeSite.disappear());
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.updated()).isFalse();
            assertThat(r1.status()).startsWith("failed: secure aggregation failed closed").contains("global model unchanged")
                    .contains("C: timeout").contains("D: timeout");
            // no site was asked to reveal anything
            for (FakeSite s : fed.allSites)
                assertThat(s.received).noneMatch(t -> t.kind() == TaskKind.SECAGG_UNMASK);
            Checks.allEqual(result.finalGlobal(), 5, Federation.G0);
        }
    }

    @Test
    @DisplayName("C07 through the coordinator: 7.9 x weight 1000 decodes within one step; a site sending 12.0 is clipped and the count recorded")
    void c07ClippedValuesAreCountedInTheRecord() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 5, 5, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(0))) {
            for (String id : List.of("A", "B", "C", "D")) fed.site(id, 1000).delta(7.9f);
            fed.site("E", 1000).delta(12.0f);
            RunResult result = fed.start().await();
            assertThat(fed.round(1).status()).isEqualTo("completed");
            assertThat(fed.events).contains("site E round 1: 3 update values clipped to the secure-aggregation range");
            assertThat(fed.events).noneMatch(e -> e.startsWith("site A round 1") && e.contains("clipped"));
            // scale for 5 sites x weight cap 1000 x clip 8; a site's value moves in steps of 1/(scale * 1000)
            double step = 1.0 / (Math.floor((Integer.MAX_VALUE - 5) / (5.0 * 1000 * 8.0)) * 1000);
            double expected = (4 * (double) 7.9f + 8.0) / 5;
            for (float v : result.finalGlobal()) assertThat((double) v - Federation.G0).isCloseTo(expected, within(step + 1e-6));
        }
    }

    @Test
    @DisplayName("C04 under masking: B has no rows and sends masked zeros; A and C weigh 0.6 / 0.4; B is 'no data'")
    void c04SiteWithoutRows() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(0))) {
            fed.site("A", 120).delta(1f);
            fed.site("B", 0).delta(7f);
            fed.site("C", 80).delta(6f);
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.status()).isEqualTo("completed");
            assertThat(r1.noData()).containsExactly("B");
            assertThat(r1.contributed()).isEqualTo(Map.of("A", 120.0, "C", 80.0));
            // 0.6 * 1 + 0.4 * 6 = 3
            for (float v : result.finalGlobal()) assertThat((double) v).isCloseTo(Federation.G0 + 3.0, within(1e-6));
        }
    }

    @Test
    @DisplayName("C03 under masking: every site has 0 rows -> 'total weight 0', nothing unmasked, model unchanged")
    void c03ZeroRowsEverywhere() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(0))) {
            // rows in the statistics phase, none left for training (e.g. a cohort filter matched nobody)
            for (String id : List.of("A", "B", "C"))
                fed.site(id, 5).onTrain(1, (s, t) -> {
                    s.send(s.masked(t, new float[3], 0));
                    return true;
                });
            RunResult result = fed.start().await();
            assertThat(fed.round(1).status()).startsWith("failed: total weight 0");
            Checks.allEqual(result.finalGlobal(), 3, Federation.G0);
        }
    }

    @Test
    @DisplayName("a site silent at the key stage costs the stage timeout, not the round's grace or deadline")
    void stageTimeoutBoundsTheKeyStages() throws Exception {
        SecureAggregation sa = new SecureAggregation(2, 8.0, 1e-6, 0, java.time.Duration.ofMillis(300));
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, 20_000, 8_000), 3, new FedAvg(), sa)) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 10).delta(3f);
            fed.site("C", 10).delta(100f).on(TaskKind.SECAGG_KEYS, 1, FakeSite.silent());
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.status()).startsWith("completed with 1 failure (C: timeout (no reply to SECAGG_KEYS round 1");
            assertThat(r1.seconds()).isLessThan(6.0);   // the 8 s grace would otherwise hold the key stage open
            for (float v : result.finalGlobal()) assertThat((double) v).isCloseTo(Federation.G0 + 2.0, within(1e-6));
        }
    }

    @Test
    @DisplayName("fewer sites than the threshold: the round is refused with a clear message, the run goes on")
    void fewerSitesThanThreshold() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 2, 2, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(3))) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 10).delta(3f);
            RunResult result = fed.start().await();
            assertThat(fed.round(1).status()).startsWith("failed: secure aggregation refused")
                    .contains("threshold 3").contains("global model unchanged");
            assertThat(result.status()).isEqualTo("completed 1 round");
            Checks.allEqual(result.finalGlobal(), 3, Federation.G0);
        }
    }

    @Test
    @DisplayName("the coordinator checks key adverts too: a site whose certificate does not verify fails at the key stage")
    void advertWithUnverifiableCertificateIsThatSitesFailure() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(2))) {
            fed.run.verifyKeyAdvertsWith((site, pem) -> {
                if (site.equals("C")) throw new java.security.cert.CertificateException("certificate of C revoked");
                return fed.verifier.verify(site, pem);
            });
            fed.site("A", 10).delta(1f);
            fed.site("B", 10).delta(3f);
            fed.site("C", 10).delta(100f);
            RunResult result = fed.start().await();
            RoundRecord r1 = fed.round(1);
            assertThat(r1.status()).startsWith("completed with 1 failure (C: rejected key advert");
            assertThat(r1.failures()).singleElement().satisfies(f -> assertThat(f.detail()).contains("revoked"));
            assertThat(fed.sites.get("C").received).noneMatch(t -> t.kind() == TaskKind.SECAGG_SHARES);
            for (float v : result.finalGlobal()) assertThat((double) v).isCloseTo(Federation.G0 + 2.0, within(1e-6));
        }
    }

    @Test
    @DisplayName("a plain (unmasked) update is refused in a secure run and never enters the sum")
    void plainUpdateRefused() throws Exception {
        try (Federation fed = new Federation(Federation.policy(1, 3, 2, DEADLINE_MS, GRACE_MS), 3, new FedAvg(), secure(2))) {
            fed.site("A", 10).delta(1f);
            fed.site("B", 10).delta(3f);
            fed.site("C", 10).delta(100f).onTrain(1, FakeSite.envelope(t -> new ReplyEnvelope(
                    SiteReply.to(t, "C").trained(new TrainSummary(10, 0.1, 1)),
                    new ParamFrame(ParamFrame.Kind.UPDATE, t.runId(), t.round(), 10, t.modelDigest(), Federation.filled(3, 100f)))));
            RunResult result = fed.start().await();
            assertThat(fed.sites.get("C").outcome(TaskKind.TRAIN, 1).httpStatus()).isEqualTo(422);
            RoundRecord r1 = fed.round(1);
            assertThat(r1.failures()).singleElement().satisfies(f -> {
                assertThat(f.siteId()).isEqualTo("C");
                assertThat(f.detail()).contains("plain update refused");
            });
            // C's masks are recovered from the others' shares; the mean is A's and B's
            for (float v : result.finalGlobal()) assertThat((double) v).isCloseTo(Federation.G0 + 2.0, within(1e-6));
        }
    }

    @Test
    @DisplayName("a strategy that needs individual updates cannot be combined with secure aggregation")
    void robustStrategyRefusedUpFront() {
        Strategy median = new Strategy() {
            @Override
            public String name() {
                return "median";
            }

            @Override
            public Aggregation aggregateTrain(int round, float[] global, List<SiteUpdate> updates, List<SiteFailure> failures) {
                return Aggregation.none("unused");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RunSettings(java.util.UUID.randomUUID(),
                        Federation.policy(1, 3, 2, 1000, 10), median, Federation.PLAN, 7L, true, secure(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("median needs the individual updates");
    }
}

package org.fedehr.site;

import org.fedehr.protocol.codec.MaskedFrame;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.EvalMetrics;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.SiteReply;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TrainSummary;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedehr.site.PolicyFixtures.*;

/**
 * The egress guard lets out only declared payloads: attempts to send per-patient rows or predictions — per-row
 * arrays smuggled through a statistics map or a message, an update frame as long as the number of rows, an
 * evaluation over one patient — never reach the underlying link, and the log says what was blocked without values.
 */
class EgressGuardTest {
    static final int MIN = 5;
    final UUID run = UUID.randomUUID();
    final List<String> log = new ArrayList<>();
    final RecordingLink wire = new RecordingLink();

    GuardedLink guard(boolean secaggRequired) {
        SitePolicy p = new SitePolicy(null, Set.of(SPEC.digest()), false, null, MIN,
                EnumSet.of(org.fedehr.protocol.msg.TaskKind.STATISTICS, org.fedehr.protocol.msg.TaskKind.TRAIN,
                        org.fedehr.protocol.msg.TaskKind.EVALUATE), 0, secaggRequired, null);
        return new GuardedLink(wire, p, "A", Set.of("age", "cp"), (s, m) -> log.add(m));
    }

    void assertBlocked(GuardedLink g, TaskInstruction t, ReplyEnvelope env, String why) throws Exception {
        g.expect(t);
        CoordinatorLink.Ack ack = g.reply(env);
        assertThat(ack.code()).isEqualTo(GuardedLink.BLOCKED);
        assertThat(ack.message()).contains(why);
        assertThat(wire.sent).as("nothing reached the network").isEmpty();
        assertThat(log).last().asString().startsWith("egress blocked: ").contains(why).contains("(not sent)");
    }

    static FeatureStatistics stats(long rows, TreeMap<String, NumericSummary> n, TreeMap<String, CategoricalSummary> c) {
        return new FeatureStatistics(rows, n, c);
    }

    @Test
    void perPatientRowsSmuggledAsCategoriesAreBlocked() throws Exception {
        TreeMap<String, Long> perPatient = new TreeMap<>();
        for (int i = 0; i < 40; i++) perPatient.put("patient-" + i + ":chol=" + (200 + i), 1L);
        TreeMap<String, CategoricalSummary> c = new TreeMap<>();
        c.put("cp", new CategoricalSummary(perPatient, 0));
        TaskInstruction t = statistics(run);
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").statistics(stats(40, new TreeMap<>(), c)), null),
                "a category count of 1, below the minimum cohort of 5");
        assertThat(String.join("\n", log)).doesNotContain("patient-").doesNotContain("chol=");
    }

    @Test
    void statisticsOfAnUndeclaredFeatureAreBlocked() throws Exception {
        TreeMap<String, NumericSummary> n = new TreeMap<>();
        n.put("patient_id", new NumericSummary(40, 820, 22140, 0));
        TaskInstruction t = statistics(run);
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").statistics(stats(40, n, new TreeMap<>())), null),
                "statistics of an undeclared feature");
    }

    @Test
    void anUpdateFrameAsLongAsTheRowsIsBlocked() throws Exception {
        int rows = 40;
        TaskInstruction t = train(run, 1, SPEC, false);
        float[] perRowPredictions = new float[rows];
        for (int i = 0; i < rows; i++) perRowPredictions[i] = i % 2;
        ParamFrame f = new ParamFrame(ParamFrame.Kind.UPDATE, run, 1, rows, SPEC.digest(), perRowPredictions);
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").trained(new TrainSummary(rows, 0.5, 10)), f),
                "update of 40 values, declared " + SPEC.parameterCount());
    }

    @Test
    void aMaskedUpdateOfTheWrongLengthIsBlocked() throws Exception {
        TaskInstruction t = train(run, 1, SPEC, true);
        MaskedFrame m = new MaskedFrame(run, 1, SPEC.digest(), new int[40]);
        assertBlocked(guard(true), t, ReplyEnvelope.masked(SiteReply.to(t, "A").trained(new TrainSummary(40, 0.5, 10)), m),
                "masked update of 40 elements, declared " + (SPEC.parameterCount() + 1));
    }

    @Test
    void aPlainUpdateIsBlockedWhenThePolicyRequiresSecureAggregation() throws Exception {
        TaskInstruction t = train(run, 1, SPEC, false);
        ParamFrame f = new ParamFrame(ParamFrame.Kind.UPDATE, run, 1, 40, SPEC.digest(), new float[SPEC.parameterCount()]);
        assertBlocked(guard(true), t, new ReplyEnvelope(SiteReply.to(t, "A").trained(new TrainSummary(40, 0.5, 10)), f),
                "plain update while the policy requires secure aggregation");
    }

    @Test
    void anEvaluationOfOnePatientIsBlocked() throws Exception {
        TaskInstruction t = evaluate(run, 1, SPEC);
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").evaluated(new EvalMetrics(1, 1, 0.1, null)), null),
                "metrics over 1 rows, below the minimum cohort of 5");
    }

    @Test
    void rowsSmuggledThroughAFailureMessageAreBlocked() throws Exception {
        TaskInstruction t = evaluate(run, 1, SPEC);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 300; i++) rows.append("63,1,145,233;");
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").failed(new RuntimeException(rows.toString())), null),
                "message of " + rows.length() + " characters");
        assertThat(String.join("\n", log)).doesNotContain("63,1,145");
    }

    @Test
    void aRefusalWithoutAKnownReasonCodeIsBlocked() throws Exception {
        TaskInstruction t = evaluate(run, 1, SPEC);
        assertBlocked(guard(false), t, new ReplyEnvelope(SiteReply.to(t, "A").refused("0.91,0.12,0.77"), null),
                "refusal without a known reason code");
    }

    @Test
    void aReplyToNoInstructionIsBlocked() throws Exception {
        GuardedLink g = guard(false);
        TaskInstruction t = evaluate(run, 1, SPEC);
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(t, "A").evaluated(new EvalMetrics(10, 8, 0.3, 0.9)), null)).code())
                .isEqualTo(GuardedLink.BLOCKED);
        assertThat(wire.sent).isEmpty();
    }

    @Test
    void multiHotCodeCountsPassWhenEachCodeIsAtMostOncePerStay() throws Exception {
        // 40 stays, a code set: 30 + 25 + 20 = 75 code occurrences > 40 rows is fine when a stay may hold many codes,
        // but one code counted in 41 of 40 stays is not
        SitePolicy p = new SitePolicy(null, Set.of(SPEC.digest()), false, null, MIN,
                EnumSet.of(org.fedehr.protocol.msg.TaskKind.STATISTICS), 0, false, null);
        GuardedLink g = new GuardedLink(wire, p, "A", Set.of("codes:dx", "static:sex"),
                name -> name.startsWith("codes:") ? Integer.MAX_VALUE : 1, (s, m) -> log.add(m));
        TreeMap<String, CategoricalSummary> c = new TreeMap<>();
        c.put("codes:dx", new CategoricalSummary(new TreeMap<>(java.util.Map.of("401.9", 30L, "428.0", 25L, "584.9", 20L)), 0));
        TaskInstruction st = statistics(run);
        g.expect(st);
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(st, "A").statistics(stats(40, new TreeMap<>(), c)), null)).ok()).isTrue();
        c.put("codes:dx", new CategoricalSummary(new TreeMap<>(java.util.Map.of("401.9", 41L)), 0));
        wire.sent.clear();
        assertBlocked(g, statistics(run), new ReplyEnvelope(SiteReply.to(statistics(run), "A").statistics(stats(40, new TreeMap<>(), c)), null),
                "a category count exceeds the rows");
        // a single-valued static is still bounded by the rows
        TreeMap<String, CategoricalSummary> sex = new TreeMap<>();
        sex.put("static:sex", new CategoricalSummary(new TreeMap<>(java.util.Map.of("F", 30L, "M", 25L)), 0));
        assertBlocked(g, statistics(run), new ReplyEnvelope(SiteReply.to(statistics(run), "A").statistics(stats(40, new TreeMap<>(), sex)), null),
                "category counts exceed the rows");
    }

    @Test
    void declaredPayloadsPass() throws Exception {
        GuardedLink g = guard(true);
        TaskInstruction ev = evaluate(run, 1, SPEC), tr = train(run, 1, SPEC, true), st = statistics(run);
        g.expect(ev);
        g.expect(tr);
        g.expect(st);
        TreeMap<String, NumericSummary> n = new TreeMap<>();
        n.put("age", new NumericSummary(40, 2000, 101000, 0));
        TreeMap<String, CategoricalSummary> c = new TreeMap<>();
        c.put("cp", new CategoricalSummary(new TreeMap<>(java.util.Map.of("a", 25L, "b", 12L)), 3));
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(st, "A").statistics(stats(40, n, c)), null)).ok()).isTrue();
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(ev, "A").evaluated(new EvalMetrics(10, 8, 0.3, 0.9)), null)).ok()).isTrue();
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(ev, "A").evaluated(new EvalMetrics(0, 0, null, null)), null)).ok()).isTrue();
        MaskedFrame m = new MaskedFrame(run, 1, SPEC.digest(), new int[SPEC.parameterCount() + 1]);
        assertThat(g.reply(ReplyEnvelope.masked(SiteReply.to(tr, "A").trained(new TrainSummary(40, 0.5, 10)), m)).ok()).isTrue();
        assertThat(g.reply(new ReplyEnvelope(SiteReply.to(tr, "A").refused(Refusal.BUDGET_EXHAUSTED), null)).ok()).isTrue();
        assertThat(wire.sent).hasSize(5);
        assertThat(g.blockedCount()).isZero();
    }

    @Test
    void registeringAsAnotherSiteIsBlocked() {
        GuardedLink g = guard(false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.register("B"))
                .isInstanceOf(CoordinatorLink.LinkException.class).hasMessageContaining("egress guard");
        assertThat(g.blockedCount()).isEqualTo(1);
    }

    /** At the node: a reply the guard blocks is replaced by a refusal "egress blocked"; its content never leaves. */
    @Test
    void aNodeWhoseReplyIsBlockedSendsOnlyARefusal() throws Exception {
        StringBuilder leak = new StringBuilder();
        for (int i = 0; i < 300; i++) leak.append("63,1,145,233;");
        RecordingLink link = new RecordingLink() {
            @Override
            public FeatureStatistics statistics() {
                throw new IllegalStateException(leak.toString());   // a failure whose message would carry rows
            }
        };
        SitePolicy p = new SitePolicy(null, Set.of(SPEC.digest()), false, null, 0,
                EnumSet.of(org.fedehr.protocol.msg.TaskKind.EVALUATE), 0, true, null);
        SiteNode node = new SiteNode("A", DICT, SiteRows.of(rows(10), rows(10)), link, (s, m) -> log.add(m), p);
        node.handle(evaluate(run, 1, SPEC));
        assertThat(link.sent).hasSize(1);
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.REFUSED);
        assertThat(link.sent.get(0).reply().message()).isEqualTo(Refusal.EGRESS_BLOCKED);
        assertThat(node.egressGuard().blockedCount()).isEqualTo(1);
        assertThat(String.join("\n", log)).doesNotContain("63,1,145");
    }
}

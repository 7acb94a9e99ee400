package org.fedehr.site;

import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.site.policy.PrivacyAccountant;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedehr.site.PolicyFixtures.*;

/**
 * Every refusal reason, each proven to happen before the site touches its data: the rows fail the test if read, and
 * the one message that leaves is a REFUSED reply with the stable reason code.
 */
class SitePolicyRefusalTest {
    @TempDir
    Path dir;
    final List<String> log = new ArrayList<>();
    final UUID run = UUID.randomUUID();

    SitePolicy policy(String extra) {
        return SitePolicy.load(write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\n" + extra));
    }

    /** Runs one instruction through a node whose rows must not be read; returns the single reply that was sent. */
    ReplyEnvelope refused(SitePolicy p, TaskInstruction t, String reason, int trainRows, int testRows, PrivacyAccountant acc) throws Exception {
        RecordingLink link = new RecordingLink();
        UntouchableRows rows = new UntouchableRows(trainRows, testRows);
        SiteNode node = new SiteNode("A", DICT, rows, link, (s, m) -> log.add(m), p).privacyAccountant(acc);
        node.handle(t);
        assertThat(rows.reads).as("rows read").isZero();
        assertThat(link.sent).hasSize(1);
        ReplyEnvelope env = link.sent.get(0);
        assertThat(env.reply().status()).isEqualTo(ReplyStatus.REFUSED);
        assertThat(env.reply().message()).isEqualTo(reason);
        assertThat(env.update()).isNull();
        assertThat(env.masked()).isNull();
        assertThat(log).anyMatch(l -> l.contains("refused by this site's policy: " + reason));
        return env;
    }

    @Test
    void taskKindNotAllowed() throws Exception {
        refused(policy("allowed_tasks: [statistics, evaluate]\nmin_cohort: 2\n"), train(run, 1, SPEC, true),
                Refusal.TASK_KIND_NOT_ALLOWED, 50, 50, null);
        refused(policy("allowed_tasks: [train]\n"), statistics(run), Refusal.TASK_KIND_NOT_ALLOWED, 50, 50, null);
    }

    @Test
    void tooManyRounds() throws Exception {
        refused(policy("max_rounds: 3\n"), train(run, 4, SPEC, true), Refusal.TOO_MANY_ROUNDS, 50, 50, null);
        refused(policy("max_rounds: 3\n"), evaluate(run, 4, SPEC), Refusal.TOO_MANY_ROUNDS, 50, 50, null);
    }

    @Test
    void unapprovedModel() throws Exception {
        var other = org.fedehr.models.ModelSpec.logistic(6);
        refused(policy(""), train(run, 1, other, true), Refusal.UNAPPROVED_MODEL, 50, 50, null);
        refused(policy(""), evaluate(run, 1, other), Refusal.UNAPPROVED_MODEL, 50, 50, null);
    }

    @Test
    void anInstructionThatAnnouncesTheApprovedDigestForAnotherSpecIsUnapproved() throws Exception {
        TaskInstruction honest = train(run, 1, org.fedehr.models.ModelSpec.logistic(6), true);
        TaskInstruction lying = new TaskInstruction(run, honest.taskSeq(), 1, honest.kind(), SPEC.digest(), honest.modelSpecJson(),
                0, honest.paramCount(), PLAN, 7, 0, honest.secagg());
        refused(policy(""), lying, Refusal.UNAPPROVED_MODEL, 50, 50, null);
    }

    @Test
    void anInstructionCannotSwitchSecureAggregationOff() throws Exception {
        // the policy says required (also the default); the coordinator sends TRAIN without secure aggregation
        refused(policy("secure_aggregation_required: true\n"), train(run, 1, SPEC, false), Refusal.SECURE_AGGREGATION_REQUIRED, 50, 50, null);
        refused(policy(""), train(run, 1, SPEC, false), Refusal.SECURE_AGGREGATION_REQUIRED, 50, 50, null);
    }

    @Test
    void cohortBelowMinimum() throws Exception {
        SitePolicy p = policy("min_cohort: 20\n");
        refused(p, statistics(run), Refusal.COHORT_BELOW_MINIMUM, 19, 50, null);
        refused(p, train(run, 1, SPEC, true), Refusal.COHORT_BELOW_MINIMUM, 19, 50, null);
        refused(p, evaluate(run, 1, SPEC), Refusal.COHORT_BELOW_MINIMUM, 50, 19, null);
    }

    @Test
    void budgetExhausted() throws Exception {
        SitePolicy p = policy("privacy_budget: {project: p1, epsilon: 1.0, delta: 1.0e-5}\n");
        refused(p, train(run, 1, SPEC, true), Refusal.BUDGET_EXHAUSTED, 50, 50, t -> new PrivacyAccountant.Cost(1.5, 1e-6));
    }

    @Test
    void theCoordinatorIsToldOnlyTheReasonCode() throws Exception {
        ReplyEnvelope env = refused(policy("min_cohort: 20\n"), statistics(run), Refusal.COHORT_BELOW_MINIMUM, 3, 3, null);
        assertThat(env.reply().statistics()).isNull();
        assertThat(env.reply().train()).isNull();
        assertThat(env.reply().errorClass()).isNull();
    }
}

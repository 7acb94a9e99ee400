package org.fedehr.cli;

import org.fedehr.models.ModelSpec;
import org.fedehr.site.policy.ApprovalStore;
import org.fedehr.site.policy.PolicyGate;
import org.fedehr.site.policy.Refusal;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** `fedehr site pending|approve --policy FILE`, in process: a refused spec is listed, approved, then accepted. */
class SitePolicyCommandsTest extends CapturedConsole {
    @TempDir
    Path tmp;

    @Test
    void pendingThenApproveThenAccepted() throws Exception {
        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, "manual_approval: true\nmin_cohort: 10\n");
        ModelSpec spec = ModelSpec.logistic(18);
        UUID run = UUID.randomUUID();
        TaskInstruction t = new TaskInstruction(run, 5, 1, TaskKind.TRAIN, spec.digest(), spec.canonicalJson(), 0,
                spec.parameterCount(), new TrainingPlan(1, 0, 4, "sgd", 0.01), 1, 0,
                new SecAggTask(2, 8, 65536, 1000, null, List.of("A", "B"), List.of(), null));
        assertThat(new PolicyGate(SitePolicy.load(policy), "cleveland", Clock.systemUTC()).check(t, 100, 50))
                .contains(Refusal.UNAPPROVED_MODEL);

        assertThat(Main.execute("site", "pending", "--policy", policy.toString())).isZero();
        assertThat(out.toString()).contains(spec.digest() + "  awaiting approval").contains("by run " + run + " round 1")
                .contains("site cleveland");

        out.reset();
        assertThat(Main.execute("site", "approve", "--policy", policy.toString(), spec.digest())).isZero();
        assertThat(out.toString()).contains("approved " + spec.digest());
        assertThat(new ApprovalStore(tmp.resolve("policy.approvals.json")).pending()).isEmpty();

        out.reset();
        assertThat(Main.execute("site", "pending", "--policy", policy.toString())).isZero();
        assertThat(out.toString()).contains("no model awaiting approval");
        assertThat(new PolicyGate(SitePolicy.load(policy), "cleveland", Clock.systemUTC()).check(t, 100, 50)).isEmpty();
    }

    @Test
    void approveNeedsManualApprovalAndADigest() throws Exception {
        Path listed = tmp.resolve("listed.yaml");
        Files.writeString(listed, "approved_models: [\"" + ModelSpec.logistic(3).digest() + "\"]\n");
        assertThat(Main.execute("site", "approve", "--policy", listed.toString(), ModelSpec.logistic(4).digest())).isEqualTo(2);
        assertThat(err.toString()).contains("manual_approval is not true");
        Path manual = tmp.resolve("manual.yaml");
        Files.writeString(manual, "manual_approval: true\n");
        assertThat(Main.execute("site", "approve", "--policy", manual.toString(), "logistic-v2")).isEqualTo(2);
        assertThat(err.toString()).contains("64 hex digits");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "manual_approval: true\nmanual_aproval: false\n");
        assertThat(Main.execute("site", "pending", "--policy", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml line 2: manual_aproval: unknown key");
    }
}

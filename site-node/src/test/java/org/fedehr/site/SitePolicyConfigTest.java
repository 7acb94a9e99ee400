package org.fedehr.site;

import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.site.data.DataConfigException;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedehr.site.PolicyFixtures.*;

/** The policy file: every key read, unknown keys and bad values refused with the file, line and key. */
class SitePolicyConfigTest {
    @TempDir
    Path dir;

    @Test
    void fullPolicyIsRead() {
        Path f = write(dir, "policy.yaml", """
                approved_models:
                  - %s
                manual_approval: true
                approvals_file: state/approvals.json
                min_cohort: 10
                allowed_tasks: [statistics, train]
                max_rounds: 40
                secure_aggregation_required: false
                privacy_budget: {project: heart-disease, epsilon: 8.0, delta: 1.0e-5}
                """.formatted(SPEC.digest().toUpperCase()));
        SitePolicy p = SitePolicy.load(f);
        assertThat(p.approvedModels()).containsExactly(SPEC.digest());
        assertThat(p.manualApproval()).isTrue();
        assertThat(p.approvalsFile()).isEqualTo(dir.resolve("state/approvals.json"));
        assertThat(p.minCohort()).isEqualTo(10);
        assertThat(p.allowedTasks()).containsExactlyInAnyOrder(TaskKind.STATISTICS, TaskKind.TRAIN);
        assertThat(p.maxRounds()).isEqualTo(40);
        assertThat(p.secureAggregationRequired()).isFalse();
        assertThat(p.plainUpdatesAllowed()).isTrue();
        assertThat(p.budget().project()).isEqualTo("heart-disease");
        assertThat(p.budget().epsilon()).isEqualTo(8.0);
        assertThat(p.budget().delta()).isEqualTo(1e-5);
        assertThat(p.budget().stateFile()).isEqualTo(dir.resolve("policy.budget.json"));
    }

    @Test
    void defaultsAreStrictWhereItMatters() {
        SitePolicy p = SitePolicy.load(write(dir, "p.yaml", "approved_models: [" + SPEC.digest() + "]\n"));
        assertThat(p.secureAggregationRequired()).isTrue();
        assertThat(p.manualApproval()).isFalse();
        assertThat(p.allowedTasks()).containsExactlyInAnyOrder(TaskKind.STATISTICS, TaskKind.TRAIN, TaskKind.EVALUATE);
        assertThat(p.budget()).isNull();
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        Path f = write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\nmin_cohort: 5\nmin_cohrt: 10\n");
        assertThatThrownBy(() -> SitePolicy.load(f)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 3").hasMessageContaining("min_cohrt")
                .hasMessageContaining("unknown key");
    }

    @Test
    void unknownNestedKeyNamesFileLineAndFullKey() {
        Path f = write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\nprivacy_budget:\n  project: p\n  epsilom: 1.0\n");
        assertThatThrownBy(() -> SitePolicy.load(f)).isInstanceOf(DataConfigException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 4").hasMessageContaining("privacy_budget.epsilom");
    }

    @Test
    void anInstructionKeyCannotBeSmuggledIntoThePolicy() {
        // e.g. a coordinator-supplied fragment pasted in: refused, not ignored
        Path f = write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\nsecagg: {enabled: false}\n");
        assertThatThrownBy(() -> SitePolicy.load(f)).hasMessageContaining("secagg").hasMessageContaining("unknown key");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "a.yaml", "approved_models: [logistic]\n")))
                .hasMessageContaining("approved_models[0]").hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "b.yaml", "manual_approval: yes please\n")))
                .hasMessageContaining("line 1").hasMessageContaining("manual_approval").hasMessageContaining("true or false");
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "c.yaml", "min_cohort: 5\n")))
                .hasMessageContaining("approved_models").hasMessageContaining("manual_approval: true");
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "d.yaml", "manual_approval: true\nallowed_tasks: [train, predict]\n")))
                .hasMessageContaining("line 2").hasMessageContaining("allowed_tasks[1]").hasMessageContaining("predict");
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "e.yaml", "manual_approval: true\nmin_cohort: -1\n")))
                .hasMessageContaining("line 2").hasMessageContaining("min_cohort");
        assertThatThrownBy(() -> SitePolicy.load(write(dir, "f.yaml", "manual_approval: true\nprivacy_budget: {project: p}\n")))
                .hasMessageContaining("privacy_budget.epsilon").hasMessageContaining("missing");
        assertThatThrownBy(() -> SitePolicy.load(dir.resolve("none.yaml"))).hasMessageContaining("none.yaml").hasMessageContaining("not found");
    }
}

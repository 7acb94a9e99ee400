package org.fedehr.site;

import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.stats.CategoricalSummary;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.data.Row;
import org.fedehr.site.policy.SitePolicy;
import org.fedehr.site.policy.StatisticsSuppression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedehr.site.PolicyFixtures.*;

/**
 * Small cohorts: below the minimum the statistics task is refused (see {@link SitePolicyRefusalTest}); at or above it,
 * released category counts and numeric summaries under the minimum are suppressed (counted as missing).
 */
class SitePolicyCohortTest {
    @TempDir
    Path dir;

    @Test
    void smallCellsOfReleasedStatisticsAreSuppressed() throws Exception {
        // 12 rows: cp = a x9, b x3; age observed in only 4 rows
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++)
            rows.add(new Row(i + 1, new String[]{i < 4 ? String.valueOf(50 + i) : null, i < 9 ? "a" : "b"}, i % 2));
        SitePolicy p = SitePolicy.load(write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\nmin_cohort: 5\n"));
        RecordingLink link = new RecordingLink();
        List<String> log = new ArrayList<>();
        new SiteNode("A", DICT, SiteRows.of(rows, rows), link, (s, m) -> log.add(m), p).handle(statistics(UUID.randomUUID()));
        assertThat(link.sent).hasSize(1);
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.OK);
        FeatureStatistics s = link.sent.get(0).reply().statistics();
        assertThat(s.rows()).isEqualTo(12);
        assertThat(s.categorical().get("cp").counts()).containsOnlyKeys("a").containsEntry("a", 9L);
        assertThat(s.categorical().get("cp").missing()).isEqualTo(3);
        assertThat(s.numeric().get("age").count()).isZero();
        assertThat(s.numeric().get("age").sum()).isZero();
        assertThat(s.numeric().get("age").missing()).isEqualTo(12);
        assertThat(log).anyMatch(l -> l.contains("2 cells below the minimum cohort of 5 suppressed"));
    }

    @Test
    void withoutAMinimumNothingIsSuppressed() {
        var c = new CategoricalSummary(new java.util.TreeMap<>(java.util.Map.of("a", 1L)), 0);
        var s = new FeatureStatistics(1, new java.util.TreeMap<>(), new java.util.TreeMap<>(java.util.Map.of("cp", c)));
        assertThat(StatisticsSuppression.suppress(s, 0)).isSameAs(s);
        assertThat(StatisticsSuppression.suppress(s, 1)).isSameAs(s);
        assertThat(StatisticsSuppression.suppressedCells(s, 2)).isEqualTo(1);
    }

    @Test
    void exactlyTheMinimumIsEnough() throws Exception {
        SitePolicy p = SitePolicy.load(write(dir, "policy.yaml", "approved_models: [" + SPEC.digest() + "]\nmin_cohort: 10\n"));
        RecordingLink link = new RecordingLink();
        new SiteNode("A", DICT, SiteRows.of(rows(10), rows(10)), link, null, p).handle(statistics(UUID.randomUUID()));
        assertThat(link.sent.get(0).reply().status()).isEqualTo(ReplyStatus.OK);
        assertThat(link.sent.get(0).reply().statistics().rows()).isEqualTo(10);
    }
}

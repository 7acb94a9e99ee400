package org.fedehr.simulations.partition;

import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.ReadReport;
import org.fedehr.site.data.Row;
import org.fedehr.site.data.SiteData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Partitioned sites are ordinary SiteData: every source row lands at exactly one site, split per site, shifted as asked. */
class PartitionedSitesTest {
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(new Feature("chol", FeatureType.NUMERIC),
            new Feature("age", FeatureType.NUMERIC), new Feature("cp", FeatureType.CATEGORICAL)), 1);

    /** 200 rows: chol = 100 + line (missing every 10th), age = line, cp = line mod 3, label 1 for every 4th row. */
    static SiteData source() {
        List<Row> train = new ArrayList<>(), test = new ArrayList<>();
        for (int line = 1; line <= 200; line++) {
            Row r = new Row(line, new String[]{line % 10 == 0 ? null : String.valueOf(100 + line), String.valueOf(line),
                    String.valueOf(line % 3)}, line % 4 == 0 ? 1 : 0);
            (line <= 150 ? train : test).add(r);
        }
        return new SiteData("src", train, test, new ReadReport("src.csv", 200, 0, 200, Map.of(), 0, 150, 50, new java.util.TreeMap<>()));
    }

    static PartitionSpec spec(PartitionSpec.Kind kind, int sites, List<PartitionSpec.FeatureShift> shifts) {
        return new PartitionSpec(kind, List.of(Path.of("src.yaml")), sites, kind == PartitionSpec.Kind.DIRICHLET ? 0.5 : Double.NaN,
                Double.NaN, 0, null, 0.25, 9, "site", shifts);
    }

    @Test
    void iidSitesHoldEveryRowOnceWithTheirOwnStratifiedSplit() {
        Map<String, SiteData> sites = PartitionedSites.build(spec(PartitionSpec.Kind.IID, 4, List.of()), List.of(source()), null, DICT);
        assertThat(sites.keySet()).containsExactly("site-01", "site-02", "site-03", "site-04");
        Set<Integer> lines = new HashSet<>();
        int total = 0;
        for (SiteData d : sites.values()) {
            assertThat(d.train().size() + d.test().size()).isEqualTo(50);
            for (Row r : d.train()) lines.add(r.line());
            for (Row r : d.test()) lines.add(r.line());
            total += d.train().size() + d.test().size();
            // stratified: each class's test share is round(0.25 x its count)
            long pos = d.train().stream().filter(r -> r.label() == 1).count() + d.test().stream().filter(r -> r.label() == 1).count();
            long neg = 50 - pos;
            assertThat(d.test().stream().filter(r -> r.label() == 1).count()).isEqualTo(Math.round(0.25 * pos));
            assertThat(d.test().stream().filter(r -> r.label() == 0).count()).isEqualTo(Math.round(0.25 * neg));
            assertThat(d.report().trainRows()).isEqualTo(d.train().size());
            assertThat(d.report().testRows()).isEqualTo(d.test().size());
        }
        assertThat(total).isEqualTo(200);
        assertThat(lines).hasSize(200);
        // summary: counts only, label counts add up to the source's 50 positives
        List<PartitionedSites.SiteSummary> summary = PartitionedSites.summary(sites);
        assertThat(summary.stream().mapToInt(PartitionedSites.SiteSummary::positives).sum()).isEqualTo(50);
        assertThat(summary.stream().mapToInt(PartitionedSites.SiteSummary::rows).sum()).isEqualTo(200);
    }

    @Test
    void featureShiftChangesExactlyTheChosenFeatureOfTheChosenSiteByTheStatedAmount() {
        Map<String, SiteData> plain = PartitionedSites.build(spec(PartitionSpec.Kind.IID, 3, List.of()), List.of(source()), null, DICT);
        Map<String, SiteData> shifted = PartitionedSites.build(spec(PartitionSpec.Kind.IID, 3,
                List.of(new PartitionSpec.FeatureShift("site-02", "chol", 0.5, 10))), List.of(source()), null, DICT);
        for (String site : plain.keySet()) {
            List<Row> a = new ArrayList<>(plain.get(site).train()), b = new ArrayList<>(shifted.get(site).train());
            a.addAll(plain.get(site).test());
            b.addAll(shifted.get(site).test());
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                Row x = a.get(i), y = b.get(i);
                assertThat(y.line()).isEqualTo(x.line());
                assertThat(y.value(1)).isEqualTo(x.value(1));   // age untouched
                assertThat(y.value(2)).isEqualTo(x.value(2));   // cp untouched
                if (!site.equals("site-02") || x.value(0) == null) {
                    assertThat(y.value(0)).isEqualTo(x.value(0));  // other sites, and missing values, untouched
                } else {
                    // chol = 100 + line → (100 + line) x 0.5 + 10, e.g. line 7: 107 → 63.5
                    assertThat(new java.math.BigDecimal(y.value(0))).isEqualByComparingTo(
                            new java.math.BigDecimal(100 + x.line()).multiply(new java.math.BigDecimal("0.5")).add(java.math.BigDecimal.TEN));
                }
            }
        }
        // the shift also works on the real sites of a scenario (natural partition: the sites' own files)
        Map<String, SiteData> natural = new LinkedHashMap<>();
        natural.put("src", source());
        SiteData s = PartitionedSites.applyShifts(natural, List.of(new PartitionSpec.FeatureShift("src", "chol", 1, -100)), DICT).get("src");
        assertThat(s.train().get(6).value(0)).isEqualTo("7");
        assertThat(s.train().get(9).value(0)).isNull();
    }

    @Test
    void featureShiftOfAnUnknownSiteOrANonNumericFeatureIsRefusedByName() {
        Map<String, SiteData> natural = new LinkedHashMap<>();
        natural.put("src", source());
        assertThatThrownBy(() -> PartitionedSites.applyShifts(natural, List.of(new PartitionSpec.FeatureShift("nope", "chol", 2, 0)), DICT))
                .hasMessage("feature_shift[0].site: 'nope' is not a site of this scenario (sites: src)");
        assertThatThrownBy(() -> PartitionedSites.applyShifts(natural, List.of(new PartitionSpec.FeatureShift("src", "cp", 2, 0)), DICT))
                .hasMessage("feature_shift[0].feature: 'cp' is categorical; only numeric features can be shifted");
        assertThatThrownBy(() -> PartitionedSites.applyShifts(natural, List.of(new PartitionSpec.FeatureShift("src", "bmi", 2, 0)), DICT))
                .hasMessageStartingWith("feature_shift[0].feature: 'bmi' is not a feature of the dictionary");
    }

    @Test
    void naturalByColumnMakesOneSitePerValueInValueOrder() {
        SiteData src = source();
        List<String> hospital = new ArrayList<>();
        for (Row r : src.train()) hospital.add(r.line() % 3 == 0 ? "10" : r.line() % 3 == 1 ? "9" : "ward b");
        for (Row r : src.test()) hospital.add(r.line() % 3 == 0 ? "10" : r.line() % 3 == 1 ? "9" : "ward b");
        PartitionSpec p = new PartitionSpec(PartitionSpec.Kind.NATURAL, List.of(Path.of("src.yaml")), 0, Double.NaN, Double.NaN, 0,
                "hospital", 0.25, 9, "site", List.of());
        Map<String, SiteData> sites = PartitionedSites.build(p, List.of(src), hospital, DICT);
        // numeric values first in numeric order (9 before 10), then text; ids made safe for certificates
        assertThat(sites.keySet()).containsExactly("hospital-9", "hospital-10", "hospital-ward_b");
        assertThat(sites.get("hospital-10").train().size() + sites.get("hospital-10").test().size()).isEqualTo(66);
        assertThat(sites.get("hospital-9").train().size() + sites.get("hospital-9").test().size()).isEqualTo(67);
    }
}

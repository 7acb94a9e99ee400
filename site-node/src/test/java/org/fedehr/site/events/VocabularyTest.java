package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.junit.jupiter.api.Test;

/** The federated vocabulary of a code set: codes in at least k stays federation-wide, the rest pooled into "other". */
class VocabularyTest {
    static final EventDictionary DICT = new EventDictionary(
            List.of(Concept.numeric("hr", "/min", 0, 300, Aggregation.MEAN, 0)),
            List.of(new Concept("dx", ConceptKind.CODE_SET, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Aggregation.MEAN, 0, Double.NaN, 3)),
            List.of(new Concept("sex", ConceptKind.CATEGORICAL, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Aggregation.MEAN, 0, Double.NaN, 2)), 120, 60, 2);

    static StayEvents stay(String id, String sex, String... codes) {
        StayEvents s = new StayEvents(id, DICT);
        s.label(0);
        s.add(0, 5, 80);
        s.categoricalStatic(0, sex);
        for (String c : codes) {
            s.addCode(0, 10, c);
            s.addCode(0, 20, c);      // twice in one stay: counted once per stay
        }
        s.addCode(0, 500, "late");   // outside the window: not counted
        return s;
    }

    static FeatureStatistics site(StayEvents... stays) {
        EventStatistics st = new EventStatistics(DICT);
        Resampler r = new Resampler(DICT);
        for (StayEvents s : stays) st.add(r.aggregate(s, new HarmonisationReport(DICT)), s);
        return st.toStatistics();
    }

    @Test
    void codesSeenInAtLeastKStaysFederationWide() {
        // site A: 401.9 x2, 250.0 x1; site B: 401.9 x1, 250.0 x2, 486 x1 -> 401.9: 3, 250.0: 3, 486: 1 (k = 3)
        FeatureStatistics a = site(stay("a1", "F", "401.9", "250.0"), stay("a2", "M", "401.9"));
        FeatureStatistics b = site(stay("b1", "F", "401.9", "250.0"), stay("b2", "F", "250.0", "486"));
        assertThat(a.categorical().get("codes:dx").counts()).containsEntry("401.9", 2L).containsEntry("250.0", 1L)
                .doesNotContainKey("late");
        FeatureStatistics merged = FeatureStatistics.merge(List.of(a, b));
        FittedEventHarmonizer fit = new FittedEventHarmonizer(DICT, merged);
        assertThat(fit.codeVocabulary(0)).containsExactly("250.0", "401.9");
        // sex: F 3, M 1 with k = 2 -> [F], M pooled into other
        assertThat(fit.categoryVocabulary(0)).containsExactly("F");
        assertThat(fit.layout().staticNames()).containsExactly("sex=F", "sex=other", "dx=250.0", "dx=401.9", "dx=other");
        // each site alone would not reach k = 3 for either code: only the federated count does
        assertThat(new FittedEventHarmonizer(DICT, a).codeVocabulary(0)).isEmpty();
        assertThat(new FittedEventHarmonizer(DICT, b).codeVocabulary(0)).isEmpty();

        StayEvents s = stay("b2", "M", "250.0", "486");
        StaySequence seq = fit.toSequence(s, new Resampler(DICT).aggregate(s, new HarmonisationReport(DICT)));
        assertThat(seq.statics()).containsExactly(0f, 1f, 1f, 0f, 1f);
    }

    @Test
    void thresholdIsInclusive() {
        FeatureStatistics st = site(stay("1", "F", "x"), stay("2", "F", "x"), stay("3", "F", "x", "y"));
        assertThat(FittedEventHarmonizer.vocabulary(st.categorical().get("codes:dx"), 3)).containsExactly("x");
        assertThat(FittedEventHarmonizer.vocabulary(st.categorical().get("codes:dx"), 1)).containsExactly("x", "y");
        assertThat(FittedEventHarmonizer.vocabulary(st.categorical().get("codes:dx"), 4)).isEmpty();
    }
}

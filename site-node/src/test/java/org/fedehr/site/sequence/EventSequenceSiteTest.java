package org.fedehr.site.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.protocol.stats.NumericSummary;
import org.fedehr.site.events.FittedEventHarmonizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event site config (PhysioNet-2012-shaped per-stay files) served as a {@link SequenceSite}: hand-computed
 * statistics, harmonised grids (bounded forward fill, masks, times since last observation), statics, summaries and
 * clipping on a 4-bin grid, through the one config-driven pipeline.
 */
class EventSequenceSiteTest {
    @TempDir
    Path root;
    Path config;

    private void write(String name, String... lines) throws Exception {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n");
    }

    /**
     * Window 4 h, 1-h bins. Stay 1 (died): c0 = [2, -, 4, -], c1 never, age 10. Stay 2 (survived): c0 = [-, 6, -, -],
     * c1 = [1, -, 3, -], age -1 (missing). c0 fills forward for at most 1 bin, c1 for 2.
     */
    @BeforeEach
    void files() throws Exception {
        write("fed/dictionary.yaml",
                "resampling: {window_hours: 4, bin_minutes: 60}",
                "label_classes: 2",
                "concepts:",
                "  - {name: c0, kind: numeric, unit: /min, min: 0, max: 1000, aggregation: mean, max_gap_hours: 1}",
                "  - {name: c1, kind: numeric, unit: /min, min: 0, max: 1000, aggregation: mean, max_gap_hours: 2}",
                "statics:",
                "  - {name: age, kind: numeric, unit: a, min: 0, max: 120}");
        write("site/a.yaml",
                "site: {id: a}",
                "dictionary: ../fed/dictionary.yaml",
                "stays:",
                "  per_stay_files: set/*.txt",
                "  id: RecordID",
                "  static_codes: [RecordID, Age]",
                "  missing_values: [\"-1\", \"\"]",
                "anchor: offsets",
                "label: {file: outcomes.txt, id: RecordID, column: death, positive: [\"1\"], negative: [\"0\"]}",
                "statics:",
                "  - {concept: age, attribute: Age, unit: a}",
                "events:",
                "  - {name: set, files: per_stay, time: {column: Time, format: hh_mm}, code: Parameter, value: Value}",
                "mappings:",
                "  - {code: X, concept: c0, unit: /min}",
                "  - {code: Y, concept: c1, unit: /min}");
        write("outcomes.txt", "RecordID,death", "1,1", "2,0");
        write("set/1.txt", "Time,Parameter,Value", "00:00,RecordID,1", "00:00,Age,10", "00:10,X,2", "02:30,X,4");
        write("set/2.txt", "Time,Parameter,Value", "00:00,RecordID,2", "00:00,Age,-1", "00:20,Y,1", "01:15,X,6",
                "02:40,Y,3");
        config = root.resolve("site/a.yaml");
    }

    private EventSequenceSite site() {
        return EventSequenceSite.load(config, root, 0.0, 1);
    }

    @Test
    void statisticsCountObservedBinsOfTheTrainingStays() {
        EventSequenceSite site = site();
        assertThat(site.siteId()).isEqualTo("a");
        assertThat(site.trainSize()).isEqualTo(2);
        assertThat(site.testSize()).isZero();
        FeatureStatistics s = site.statistics();
        assertThat(s.rows()).isEqualTo(2);
        // c0: 2, 4, 6 -> count 3, sum 12, squares 4 + 16 + 36 = 56; missing: stay 1 bins 1, 3 and stay 2 bins 0, 2, 3
        assertThat(s.numeric().get("series:c0")).isEqualTo(new NumericSummary(3, 12, 56, 5));
        // c1: 1, 3 -> 2, 4, 10; missing: stay 1 all 4 bins, stay 2 bins 1, 3
        assertThat(s.numeric().get("series:c1")).isEqualTo(new NumericSummary(2, 4, 10, 6));
        assertThat(s.numeric().get("static:age")).isEqualTo(new NumericSummary(1, 10, 100, 1));
        assertThat(site.statisticNames()).containsExactly("series:c0", "series:c1", "static:age");
        assertThat(site.valuesPerStay("series:c0")).isEqualTo(4);
        assertThat(site.valuesPerStay("static:age")).isEqualTo(1);
    }

    @Test
    void harmonisesOntoTheNodesLayoutWithTheMergedStatistics() {
        EventSequenceSite site = site();
        // merged = this site alone: c0 mean 4, sample sd sqrt((56 - 144/3) / 2) = 2; c1 mean 2, sd sqrt((10 - 8) / 1);
        // age: one value -> sd 0 -> 1, mean 10
        FeatureStatistics merged = site.statistics();
        HarmonisedSequences h = site.harmonise(merged);
        // 3 channels per concept, age value + missing indicator, 5 summaries per concept + the 2 statics, 4 bins
        assertThat(h.layout()).isEqualTo(new SequenceSite.Layout(6, 2, 12, 4));
        assertThat(EventSequenceSite.layout(site.data().dictionary(), merged)).isEqualTo(h.layout());
        assertThat(h.train().size()).isEqualTo(2);
        assertThat(h.test().size()).isZero();
        int died = indexOf(h, 1), survived = indexOf(h, 0);
        double r = Math.sqrt(2) / 2;   // 1 / sqrt(2)
        // channels per step: value c0, value c1, mask c0, mask c1, time since last c0, c1 (in bins / 4)
        double[][] expect1 = {
                {-1, 0, 1, 0, 0, .25}, {-1, 0, 0, 0, .25, .5}, {0, 0, 1, 0, 0, .75}, {0, 0, 0, 0, .25, 1}};
        // stay 2, c0: nothing before its first observation (0 = the global mean), 6 -> 1, filled 1 bin, then the
        // 2-bin gap exceeds max_gap (1 h) -> 0 again; c1 fills over its 1-bin gaps (max_gap 2 h)
        double[][] expect2 = {
                {0, -r, 0, 1, .25, 0}, {1, -r, 1, 0, 0, .25}, {1, r, 0, 1, .25, 0}, {0, r, 0, 0, .5, .25}};
        float[][] a = h.train().x()[died], b = h.train().x()[survived];
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < 6; c++) {
                assertThat((double) a[t][c]).as("stay 1 t%d c%d", t, c).isCloseTo(expect1[t][c], within(1e-6));
                assertThat((double) b[t][c]).as("stay 2 t%d c%d", t, c).isCloseTo(expect2[t][c], within(1e-6));
            }
        assertThat(h.train().lengths()).containsExactly(4, 4);   // every stay covers the whole window
        assertThat(h.train().statics()[died]).containsExactly(0f, 0f);
        assertThat(h.train().statics()[survived]).containsExactly(0f, 1f);   // age missing: 0 and the indicator
        // summaries: per concept mean, min, max, last, fraction of the window's bins observed; then the statics
        double[] expectS1 = {-.5, -1, 0, 0, .5, 0, 0, 0, 0, 0, 0, 0};
        double[] expectS2 = {1, 1, 1, 1, .25, 0, -r, r, r, .5, 0, 1};
        for (int i = 0; i < 12; i++) {
            assertThat((double) h.summaryTrain()[died][i]).as("summary 1 [%d]", i).isCloseTo(expectS1[i], within(1e-6));
            assertThat((double) h.summaryTrain()[survived][i]).as("summary 2 [%d]", i).isCloseTo(expectS2[i], within(1e-6));
        }
    }

    @Test
    void standardisedValuesAreClipped() {
        // c0 mean 0, sd sqrt(0.02) ~ 0.141: stay 1's 2 would be 14.1 sd, clipped to 6; 4 and 6 likewise
        TreeMap<String, NumericSummary> num = new TreeMap<>(Map.of("series:c0", new NumericSummary(2, 0, 0.02, 0)));
        HarmonisedSequences h = site().harmonise(new FeatureStatistics(2, num, new TreeMap<>()));
        int died = indexOf(h, 1);
        assertThat(h.train().x()[died][0][0]).isEqualTo((float) FittedEventHarmonizer.CLIP);
        assertThat(h.summaryTrain()[died][2]).as("max of c0").isEqualTo((float) FittedEventHarmonizer.CLIP);
    }

    @Test
    void stratifiedSplitHoldsOutPerClass() {
        // one stay per class, half held out: round(0.5) = 1 of each -> both in test
        EventSequenceSite site = EventSequenceSite.load(config, root, 0.5, 1);
        assertThat(site.testSize()).isEqualTo(2);
        HarmonisedSequences h = site.harmonise(site(/* training statistics of the 0-split */).statistics());
        assertThat(h.train().size()).isZero();
        assertThat(h.test().y()).containsExactlyInAnyOrder(0f, 1f);
        assertThat(h.summaryTest()).hasNumberOfRows(2);
    }

    private static int indexOf(HarmonisedSequences h, int label) {
        for (int i = 0; i < h.train().size(); i++) if (h.train().y()[i] == label) return i;
        throw new AssertionError("no training stay with label " + label);
    }
}

package org.fedehr.site.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shipped PhysioNet 2012 and eICU demo configs on the real data (FEDEHR_DATA). */
class EventDataTest {
    private Path root;

    @BeforeEach
    void requireData() {
        String env = System.getenv("FEDEHR_DATA");
        Assumptions.assumeTrue(env != null && !env.isBlank(),
                "FEDEHR_DATA is not set: skipping the PhysioNet 2012 / eICU event-source checks");
        root = Path.of(env);
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("physionet2012/set-a")) && Files.isDirectory(root.resolve("eicu_demo")),
                "FEDEHR_DATA=" + env + " has no physionet2012/set-a or eicu_demo: skipping");
    }

    @Test
    void physionetFirstStays() {
        EventSiteConfig cfg = EventSiteConfig.load(Path.of("../configs/sites/physionet2012/all.yaml"));
        EventSource src = EventSources.open(cfg, root, 20);
        HarmonisationReport report = new HarmonisationReport(cfg.dictionary());
        FeatureStatistics stats = EventPipeline.statistics(src, report);
        assertThat(report.staysRead()).isEqualTo(20);
        FittedEventHarmonizer fit = EventPipeline.fit(cfg.dictionary(), stats);
        SequenceDataset ds = EventPipeline.dataset(src, fit, new HarmonisationReport(cfg.dictionary()));
        ChannelLayout l = ds.layout();
        assertThat(l.bins()).isEqualTo(48);
        assertThat(l.valueChannels()).isEqualTo(37);
        assertThat(ds.featuresChannelsFirst()[0]).hasNumberOfRows(111);
        // 132539 (first file): Age 54, Gender 0, Height -1 (missing), ICUType 4, survived; HR 73 at 00:07, 77 at 00:37
        StaySequence first = ds.stays().get(0);
        assertThat(first.stayId()).isEqualTo("132539");
        assertThat(first.label()).isZero();
        int hr = cfg.dictionary().seriesIndex("heart_rate");
        double z = (75.0 - fit.mean(hr)) / fit.std(hr);           // bin 0: mean of 73 and 77
        assertThat(first.features()[0][l.valueChannel(hr)]).isCloseTo((float) z, within(1e-5f));
        assertThat(first.features()[0][l.maskChannel(hr)]).isEqualTo(1f);
        int height = l.staticNames().indexOf("missing:height");
        assertThat(first.statics()[height]).isEqualTo(1f);
        for (StaySequence s : ds.stays())
            for (float[] row : s.features()) for (float x : row) assertThat(Float.isFinite(x)).isTrue();
        assertThat(report.concept("heart_rate").kept()).isPositive();
    }

    @Test
    void siteDataSplitsStatisticsAndHarmonisesBothSplits() {
        // Synthea CSV: 59 patients, 9 deceased; 25 % test stratified -> round(0.25·9) = 2 + round(0.25·50) = 13 (half-up)
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("synthea_ca59/csv")), "no synthea_ca59/csv: skipping");
        EventSiteData site = EventSiteData.load(Path.of("../configs/sites/synthea/ca59.yaml"), root, 0.25, 42);
        assertThat(site.trainSize() + site.testSize()).isEqualTo(59);
        assertThat(site.testSize()).isEqualTo(15);
        FeatureStatistics stats = site.statistics();
        assertThat(stats.rows()).isEqualTo(site.trainSize());
        assertThat(site.statisticNames()).containsAll(stats.numeric().keySet()).containsAll(stats.categorical().keySet());
        SequenceDataset.Split split = site.harmonise(stats);
        assertThat(split.train().size()).isEqualTo(site.trainSize());
        assertThat(split.test().size()).isEqualTo(site.testSize());
        assertThat(split.test().classCounts()).containsExactly(13, 2);
        assertThat(split.train().layout().bins()).isEqualTo(10);
        assertThat(site.report().concept("temperature").units()).containsOnlyKeys("Cel");
    }

    @Test
    void eicuRegionStays() {
        EventSiteConfig cfg = EventSiteConfig.load(Path.of("../configs/sites/eicu/west.yaml"));
        EventSource src = EventSources.open(cfg, root);
        HarmonisationReport report = new HarmonisationReport(cfg.dictionary());
        FeatureStatistics stats = EventPipeline.statistics(src, report);
        // West: 606 stays in the region (SOURCE.md); some have no label or no event in the first 24 h
        assertThat(report.staysRead() - report.staysExcluded()).isEqualTo(606);
        assertThat(report.staysKept()).isBetween(550L, 606L);
        assertThat(report.concept("weight").units()).containsKeys("kg", "[lb_av]");
        assertThat(stats.categorical().get("codes:diagnoses").counts()).isNotEmpty();
        FittedEventHarmonizer fit = EventPipeline.fit(cfg.dictionary(), stats);
        List<StaySequence> out = new ArrayList<>();
        EventPipeline.stream(src, fit, new HarmonisationReport(cfg.dictionary()), out::add);
        assertThat(out).hasSize((int) report.staysKept());
        assertThat(fit.layout().staticNames()).contains("diagnoses=other", "medications=other", "gender=Female");
        long deaths = out.stream().filter(s -> s.label() == 1).count();
        assertThat(deaths).isPositive();
    }
}

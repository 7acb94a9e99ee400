package org.fedehr.site.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureDictionaryTest {
    @TempDir
    Path dir;

    @Test
    void readsFeaturesInOrderAndMinCategoryCount() {
        Path p = TestSites.write(dir, "dict.yaml", """
                features:
                  - {name: age, type: numeric}
                  - {name: sex, type: binary}
                  - {name: cp, type: categorical}
                min_category_count: 5
                """);
        FeatureDictionary d = FeatureDictionary.load(p);
        assertThat(d.features()).containsExactly(new Feature("age", FeatureType.NUMERIC), new Feature("sex", FeatureType.BINARY),
                new Feature("cp", FeatureType.CATEGORICAL));
        assertThat(d.minCategoryCount()).isEqualTo(5);
    }

    @Test
    void minCategoryCountDefaultsToOneAndErrorsNameKey() {
        assertThat(FeatureDictionary.load(TestSites.write(dir, "d.yaml", "features: [{name: a, type: numeric}]\n")).minCategoryCount())
                .isEqualTo(1);
        assertThatThrownBy(() -> FeatureDictionary.load(TestSites.write(dir, "d.yaml", "features: [{name: a, type: real}]\n")))
                .hasMessage(dir.resolve("d.yaml") + " line 1: features[0].type: unknown type 'real' (expected numeric|binary|categorical)");
        assertThatThrownBy(() -> FeatureDictionary.load(TestSites.write(dir, "d.yaml",
                "features: [{name: a, type: numeric}, {name: a, type: binary}]\n")))
                .hasMessage(dir.resolve("d.yaml") + " line 1: features[1].name: duplicate feature name 'a'");
        assertThatThrownBy(() -> FeatureDictionary.load(TestSites.write(dir, "d.yaml",
                "features: [{name: a, type: numeric}]\nmin_category_count: 0\n")))
                .hasMessageStartingWith(dir.resolve("d.yaml") + " line 2: min_category_count: must be >= 1");
        assertThatThrownBy(() -> new FeatureDictionary(List.of(new Feature("a", FeatureType.NUMERIC)), 0))
                .hasMessageContaining("minCategoryCount").hasMessageContaining("0");
    }

    @Test
    void siteTypesMustAgreeWithTheDictionary() {
        Path cfg = TestSites.write(dir, "hospital.yaml", TestSites.siteYaml("hospital", "x.csv", "", TestSites.SEEDED)
                .replace("{name: sex, index: 1, type: binary}", "{name: sex, index: 1, type: categorical}"));
        SiteDataConfig site = SiteDataConfig.load(cfg);
        assertThatThrownBy(() -> TestSites.DICT.requireCompatible(site))
                .isInstanceOf(DataConfigException.class)
                .hasMessageContaining("site 'hospital'")
                .hasMessageContaining("'sex'")
                .hasMessageContaining("categorical at this site but binary in the feature dictionary");
    }

    @Test
    void everyFeatureMustBeProvidedAndTheLabelIsNotAFeature() {
        SiteDataConfig site = SiteDataConfig.load(TestSites.write(dir, "h.yaml", TestSites.siteYaml("h", "x.csv", "", TestSites.SEEDED)));
        FeatureDictionary withChol = new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC),
                new Feature("chol", FeatureType.NUMERIC)), 1);
        assertThatThrownBy(() -> withChol.requireCompatible(site)).hasMessageContaining("site 'h'")
                .hasMessageContaining("feature 'chol' of the feature dictionary has no entry in data.columns");
        FeatureDictionary withLabel = new FeatureDictionary(List.of(new Feature("num", FeatureType.NUMERIC)), 1);
        assertThatThrownBy(() -> withLabel.requireCompatible(site)).hasMessageContaining("label column 'num' is also a feature");
        // extra site columns (not features, not the label) are allowed
        new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC)), 1).requireCompatible(site);
    }
}

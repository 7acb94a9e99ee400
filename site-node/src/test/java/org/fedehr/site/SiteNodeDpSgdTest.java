package org.fedehr.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.fedehr.models.DpSgdSettings;
import org.fedehr.models.ModelSpec;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.LocalStatistics;
import org.fedehr.site.data.Row;
import org.junit.jupiter.api.Test;

/** The site's own DP-SGD setting drives TRAIN: per-round spend recorded, no (non-private) loss in the reply. */
class SiteNodeDpSgdTest {
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC)), 1);

    @Test
    void trainWithTheSitesDpSettingsRecordsTheSpendAndSendsNoLoss() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add(new Row(i + 1, new String[] {String.valueOf(30 + i)}, i % 2));
        ModelSpec spec = ModelSpec.logistic(1);
        float[] global = new float[spec.parameterCount()];
        UUID run = UUID.randomUUID();
        CoordinatorLink link = new UnusedLink() {
            @Override
            public FeatureStatistics statistics() {
                return LocalStatistics.compute(DICT, rows);
            }

            @Override
            public ParamFrame model(int version) {
                return new ParamFrame(ParamFrame.Kind.MODEL, run, 0, 1, spec.digest(), global);
            }
        };
        TaskInstruction train = new TaskInstruction(run, 2, 0, TaskKind.TRAIN, spec.digest(), spec.canonicalJson(), 0,
                spec.parameterCount(), new TrainingPlan(1, 0, 4, "sgd", 0.1), 7, 0, null);
        try (SiteNode plain = new SiteNode("A", DICT, rows, rows, link, null);
             SiteNode dp = new SiteNode("A", DICT, rows, rows, link, null).differentialPrivacy(DpSgdSettings.poisson(1, 1.5))) {
            ReplyEnvelope p = plain.execute(train);
            ReplyEnvelope d = dp.execute(train);
            assertThat(p.reply().status()).isEqualTo(ReplyStatus.OK);
            assertThat(d.reply().status()).isEqualTo(ReplyStatus.OK);
            assertThat(p.reply().train().meanLoss()).isNotNull();
            assertThat(d.reply().train().meanLoss()).as("the training loss is not private").isNull();
            assertThat(d.reply().train().steps()).isEqualTo(10);
            assertThat(plain.dpRounds()).isEmpty();
            assertThat(dp.dpRounds()).hasSize(1);
            assertThat(dp.dpRounds().get(0).samplingRate()).isEqualTo(0.1);
            assertThat(dp.dpRounds().get(0).noiseMultiplier()).isEqualTo(1.5);
            assertThat(dp.dpRounds().get(0).steps()).isEqualTo(10);
            assertThat(d.update().values()).isNotEqualTo(p.update().values());
        }
    }
}

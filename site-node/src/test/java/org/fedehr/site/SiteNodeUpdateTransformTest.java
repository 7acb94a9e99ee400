package org.fedehr.site;

import org.fedehr.models.ModelSpec;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.ReplyStatus;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.LocalStatistics;
import org.fedehr.site.data.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulated misbehaving site: the node sends exactly what its update transform makes of the trained delta. */
class SiteNodeUpdateTransformTest {
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC)), 1);

    @Test
    void signFlipSendsExactlyMinusTheHonestDeltaWithTheSameWeight() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add(new Row(i + 1, new String[]{String.valueOf(30 + i)}, i % 2));
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
        TaskInstruction train = new TaskInstruction(run, 2, 3, TaskKind.TRAIN, spec.digest(), spec.canonicalJson(), 0,
                spec.parameterCount(), new TrainingPlan(1, 0, 4, "sgd", 0.1), 7, 0, null);
        List<Integer> rounds = new ArrayList<>();
        try (SiteNode honest = new SiteNode("A", DICT, rows, rows, link, null);
             SiteNode flipped = new SiteNode("A", DICT, rows, rows, link, null).updateTransform((round, d) -> {
                 rounds.add(round);
                 float[] out = new float[d.length];
                 for (int i = 0; i < d.length; i++) out[i] = -d[i];
                 return out;
             })) {
            ReplyEnvelope h = honest.execute(train);
            ReplyEnvelope f = flipped.execute(train);
            float[] hv = h.update().values(), fv = f.update().values();
            assertThat(hv).hasSize(2);
            assertThat(hv[0]).isNotZero();
            for (int i = 0; i < hv.length; i++) assertThat(fv[i]).isEqualTo(-hv[i]);
            assertThat(f.update().weight()).isEqualTo(h.update().weight()).isEqualTo(40);
            assertThat(f.reply().train().numExamples()).isEqualTo(40);
            assertThat(rounds).containsExactly(3);
        }
    }

    @Test
    void aTransformThatThrowsIsTheSitesFailureWithItsErrorClass() throws Exception {
        List<Row> rows = List.of(new Row(1, new String[]{"50"}, 1), new Row(2, new String[]{"60"}, 0));
        ModelSpec spec = ModelSpec.logistic(1);
        UUID run = UUID.randomUUID();
        TaskInstruction train = new TaskInstruction(run, 2, 1, TaskKind.TRAIN, spec.digest(), spec.canonicalJson(), 0,
                spec.parameterCount(), new TrainingPlan(1, 0, 4, "sgd", 0.1), 7, 0, null);
        List<ReplyEnvelope> sent = new ArrayList<>();
        CoordinatorLink recording = new UnusedLink() {
            @Override
            public FeatureStatistics statistics() {
                return LocalStatistics.compute(DICT, rows);
            }

            @Override
            public ParamFrame model(int version) {
                return new ParamFrame(ParamFrame.Kind.MODEL, run, 0, 1, spec.digest(), new float[spec.parameterCount()]);
            }

            @Override
            public Ack reply(ReplyEnvelope e) {
                sent.add(e);
                return new Ack(200, "accepted", "accepted");
            }
        };
        try (SiteNode node = new SiteNode("B", DICT, rows, rows, recording, null).updateTransform((round, d) -> {
            throw new IllegalStateException("trainer broke");
        })) {
            node.handle(train);
        }
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).reply().status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(sent.get(0).reply().errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(sent.get(0).update()).isNull();
    }
}

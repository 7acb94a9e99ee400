package org.fedehr.site;

import org.fedehr.models.ModelSpec;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.SecAggTask;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Shared pieces of the site-policy and egress-guard tests. */
final class PolicyFixtures {
    static final FeatureDictionary DICT = new FeatureDictionary(List.of(new Feature("age", FeatureType.NUMERIC),
            new Feature("cp", FeatureType.CATEGORICAL)), 1);
    static final ModelSpec SPEC = ModelSpec.logistic(5);
    static final TrainingPlan PLAN = new TrainingPlan(1, 0, 4, "sgd", 0.01);

    private PolicyFixtures() {
    }

    static List<Row> rows(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Row(i + 1, new String[]{String.valueOf(40 + i), i % 2 == 0 ? "a" : "b"}, i % 2))
                .toList();
    }

    /** Site rows whose sizes are known but whose contents fail the test if anything reads them. */
    static final class UntouchableRows implements SiteRows {
        final int train, test;
        int reads;

        UntouchableRows(int train, int test) {
            this.train = train;
            this.test = test;
        }

        @Override
        public int trainSize() {
            return train;
        }

        @Override
        public int testSize() {
            return test;
        }

        @Override
        public List<Row> train() {
            reads++;
            throw new AssertionError("the site read its training rows although its policy refused the instruction");
        }

        @Override
        public List<Row> test() {
            reads++;
            throw new AssertionError("the site read its test rows although its policy refused the instruction");
        }
    }

    /** Records every reply that reaches the network, and accepts it. */
    static class RecordingLink extends UnusedLink {
        final List<ReplyEnvelope> sent = new ArrayList<>();

        @Override
        public Ack reply(ReplyEnvelope envelope) {
            sent.add(envelope);
            return new Ack(200, "accepted", "accepted");
        }

        @Override
        public org.fedehr.protocol.msg.RegisterResponse register(String siteId) {
            return null;
        }
    }

    static TaskInstruction statistics(UUID run) {
        return new TaskInstruction(run, 1, 0, TaskKind.STATISTICS, null, null, -1, 0, null, 1, 0);
    }

    static TaskInstruction train(UUID run, int round, ModelSpec spec, boolean secagg) {
        return new TaskInstruction(run, 10L + round, round, TaskKind.TRAIN, spec.digest(), spec.canonicalJson(), round - 1,
                spec.parameterCount(), PLAN, 7, 0, secagg ? new SecAggTask(2, 8.0, 1 << 16, 1000, null, List.of("A", "B"), List.of(), null) : null);
    }

    static TaskInstruction evaluate(UUID run, int round, ModelSpec spec) {
        return new TaskInstruction(run, 100L + round, round, TaskKind.EVALUATE, spec.digest(), spec.canonicalJson(), round,
                spec.parameterCount(), null, 7, 0);
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

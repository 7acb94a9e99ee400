package org.fedehr.simulations.inprocess;

import org.fedehr.coordinator.FedAvg;
import org.fedehr.coordinator.FederationRun;
import org.fedehr.coordinator.RoundPolicy;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.RunResult;
import org.fedehr.coordinator.RunSettings;
import org.fedehr.models.LocalTrainer;
import org.fedehr.models.ModelSpec;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.msg.TaskKind;
import org.fedehr.protocol.msg.TrainingPlan;
import org.fedehr.protocol.stats.FeatureStatistics;
import org.fedehr.site.CoordinatorLink;
import org.fedehr.site.SiteListener;
import org.fedehr.site.SiteNode;
import org.fedehr.site.data.FittedHarmonizer;
import org.fedehr.site.data.Row;
import org.fedehr.site.policy.SitePolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 6 §5: 200 in-process sites, materialised on demand and trained by a bounded worker pool. The final model is
 * FedAvg of the sites' own updates (computed here independently in double precision), each site's update equals what
 * the site computes alone with a fresh network (so lending one network per worker to many sites changes nothing), the
 * result does not depend on the number of workers (case C19: parallel equals serial), and never more DL4J networks or
 * materialised sites exist than workers (cases C17, O(model + active sites)).
 */
class InProcessFederationTest {
    static final int SITES = 200;
    static final long SEED = 23;

    /** One federation run, with every TRAIN update and instruction the sites sent and received. */
    record Run(RunResult result, FederationRun run, InProcessFederation fed, float[] initial,
               Map<String, ParamFrame> updates, Map<String, TaskInstruction> trainTasks) {
    }

    static Run federate(int sites, int workers, int rounds) throws Exception {
        return federate(sites, workers, rounds, false);
    }

    static Run federate(int sites, int workers, int rounds, boolean resident) throws Exception {
        SyntheticLogisticSites data = new SyntheticLogisticSites(SEED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sites; i++) ids.add(SyntheticLogisticSites.siteId(i, sites));
        RoundPolicy policy = new RoundPolicy(rounds, sites, sites, Duration.ofMinutes(5), Duration.ZERO, Duration.ofMinutes(1));
        RunSettings settings = new RunSettings(new UUID(SEED, 1), policy, new FedAvg(), ScaleBenchmark.PLAN, SEED, false);
        float[][] initial = new float[1][];
        FederationRun run = new FederationRun(settings, stats -> {
            var m = ScaleBenchmark.initialModel(data, stats, SEED);
            initial[0] = m.parameters().clone();
            return m;
        }, null, Clock.systemUTC());
        Map<String, ParamFrame> updates = new ConcurrentHashMap<>();
        Map<String, TaskInstruction> tasks = new ConcurrentHashMap<>();
        InProcessFederation fed = new InProcessFederation(run, ids, (id, link) -> {
            int index = Integer.parseInt(id.substring("site-".length()));
            return new SiteNode(id, data.dictionary(), data.siteRows(index), new Capturing(link, id, updates), SiteListener.NONE,
                    SitePolicy.permissive());
        }, workers, SiteListener.NONE).keepSitesResident(resident).observeInstructions((site, t) -> {
            if (t.kind() == TaskKind.TRAIN) tasks.put(site + "/" + t.round(), t);
        });
        RunResult result = fed.run();
        return new Run(result, run, fed, initial[0], updates, tasks);
    }

    @Test
    void twoHundredSitesGiveFedAvgOfTheirOwnUpdatesWithNetworksBoundedByWorkers() throws Exception {
        Run r = federate(SITES, 3, 1);
        assertThat(r.result().status()).isEqualTo("completed 1 round");
        RoundRecord rec = r.result().rounds().get(0);
        assertThat(rec.contributed()).hasSize(SITES);
        assertThat(rec.failures()).isEmpty();
        SyntheticLogisticSites data = new SyntheticLogisticSites(SEED);
        // the weights are the sites' row counts, drawn uniformly from 45..55
        long rows = 0;
        for (int i = 0; i < SITES; i++) {
            String id = SyntheticLogisticSites.siteId(i, SITES);
            assertThat(rec.contributed().get(id)).isEqualTo((double) data.rowCount(i));
            assertThat(data.rowCount(i)).isBetween(45, 55);
            rows += data.rowCount(i);
        }
        assertThat(r.run().globalStatistics().rows()).isEqualTo(rows);

        // FedAvg by hand: initial + sum(n_i * delta_i) / sum(n_i), from the updates as the sites sent them
        int p = r.initial().length;
        assertThat(p).isEqualTo(14);   // 13 weights + bias
        double[] sum = new double[p];
        double total = 0;
        assertThat(r.updates()).hasSize(SITES);
        for (ParamFrame u : r.updates().values()) {
            for (int j = 0; j < p; j++) sum[j] += u.weight() * u.values()[j];
            total += u.weight();
        }
        assertThat(total).isEqualTo((double) rows);
        float[] fin = r.result().finalGlobal();
        for (int j = 0; j < p; j++) assertThat((double) fin[j]).isCloseTo(r.initial()[j] + sum[j] / total, within(1e-6));

        // a sample of sites, retrained alone on a fresh network: bit-identical updates
        FittedHarmonizer h = FittedHarmonizer.fit(data.dictionary(), r.run().globalStatistics());
        TrainingPlan plan = ScaleBenchmark.PLAN;
        TrainingSettings ts = new TrainingSettings(plan.epochs(), plan.steps(), plan.batchSize(), plan.optimizer(), plan.learningRate());
        try (LocalTrainer alone = new LocalTrainer(ModelSpec.logistic(h.width()), 99)) {
            for (int i : new int[]{0, 57, 133, 199}) {
                String id = SyntheticLogisticSites.siteId(i, SITES);
                List<Row> siteRows = data.rows(i);
                TaskInstruction t = r.trainTasks().get(id + "/1");
                TrainResult own = alone.train(r.initial(), h.transform(siteRows), FittedHarmonizer.labels(siteRows), ts, t.seed());
                assertThat(r.updates().get(id).values()).as(id).containsExactly(own.delta());
                assertThat(own.steps()).isEqualTo((siteRows.size() + 9) / 10);   // one epoch of batches of 10
            }
        }

        // bounded: one network per worker thread, never one per site; sites live only while they work
        assertThat(r.fed().peakNetworks()).isBetween(1, 3);
        assertThat(r.fed().liveNetworks()).isZero();
        assertThat(r.fed().peakMaterialisedSites()).isBetween(1, 3);
        assertThat(r.fed().materialisedSites()).isZero();
        // each site was built four times: statistics, training, evaluation of the final model, the end of the run
        assertThat(r.fed().materialisations()).isEqualTo(4L * SITES);
    }

    @Test
    void resultDoesNotDependOnTheNumberOfWorkers() throws Exception {
        Run serial = federate(40, 1, 2);
        Run parallel = federate(40, 4, 2);
        assertThat(serial.result().status()).isEqualTo("completed 2 rounds");
        assertThat(serial.fed().peakNetworks()).isEqualTo(1);
        assertThat(parallel.fed().peakNetworks()).isBetween(1, 4);
        assertThat(parallel.result().finalGlobal()).containsExactly(serial.result().finalGlobal());
        assertThat(parallel.result().bytesUp()).isEqualTo(serial.result().bytesUp());
    }

    @Test
    void residentSitesAreBuiltOnceAndGiveTheSameModel() throws Exception {
        Run resident = federate(20, 2, 2, true);
        Run onDemand = federate(20, 2, 2, false);
        assertThat(resident.fed().materialisations()).isEqualTo(20);
        assertThat(resident.fed().peakMaterialisedSites()).isEqualTo(20);
        assertThat(onDemand.fed().materialisations()).isEqualTo(20L * 5);   // statistics, 2 x train, evaluate (last round), end
        assertThat(resident.fed().peakNetworks()).isBetween(1, 2);
        assertThat(resident.result().finalGlobal()).containsExactly(onDemand.result().finalGlobal());
    }

    /** Passes everything through and keeps a copy of every TRAIN update the site sends. */
    record Capturing(CoordinatorLink inner, String site, Map<String, ParamFrame> updates) implements CoordinatorLink {
        @Override
        public RegisterResponse register(String siteId) throws LinkException {
            return inner.register(siteId);
        }

        @Override
        public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
            return inner.nextTask(afterSeq);
        }

        @Override
        public ParamFrame model(int version) throws LinkException {
            return inner.model(version);
        }

        @Override
        public FeatureStatistics statistics() throws LinkException {
            return inner.statistics();
        }

        @Override
        public Ack reply(ReplyEnvelope envelope) throws LinkException {
            if (envelope.update() != null) updates.put(site, envelope.update());
            return inner.reply(envelope);
        }

        @Override
        public long bytesSent() {
            return inner.bytesSent();
        }

        @Override
        public long bytesReceived() {
            return inner.bytesReceived();
        }
    }
}

package org.fedehr.site;

import org.fedehr.models.LocalTrainer;
import org.fedehr.models.SgdCorrection;
import org.fedehr.models.TrainResult;
import org.fedehr.models.TrainingSettings;
import org.fedehr.protocol.msg.LocalAlgorithm;
import org.fedehr.protocol.msg.TaskInstruction;

import java.util.Arrays;
import java.util.UUID;

/**
 * A site's side of FedProx, SCAFFOLD and Ditto ({@link LocalAlgorithm}), and the state it keeps between rounds of one
 * run: SCAFFOLD's control variate c_i and Ditto's personal model v_i (both start afresh when a new run begins; neither
 * ever leaves the site except as SCAFFOLD's Δc_i inside the update).
 *
 * <ul>
 *   <li>FedProx: local SGD with the proximal term μ/2·‖w − w_global‖² ({@link SgdCorrection#proximal}).</li>
 *   <li>SCAFFOLD (Karimireddy et al. 2020, Algorithm 1): the global vector is [x | c]. From x, K local steps
 *       w ← w − η_l·(∇F_i(w) − c_i + c) give y_i; option II: c_i⁺ = c_i − c + (x − y_i)/(K·η_l). The update is
 *       [Δy = y_i − x | Δc = c_i⁺ − c_i]; c_i ← c_i⁺ (kept here).</li>
 *   <li>Ditto (Li et al. 2021, Algorithm 1): the update is plain local training of the global model; beside it the
 *       personal model v_i (first set to the global model) takes the same number of steps on
 *       F_i(v) + λ/2·‖v − w_global‖². Evaluation uses v_i.</li>
 * </ul>
 * The optimiser must be sgd (the steps are changed directly).
 */
public final class LocalAlgorithms {
    private UUID runId;
    private float[] control;
    private float[] personal;

    LocalAlgorithms() {
    }

    /** What a site keeps across rounds of one run (copied in and out; in-process drivers save it between materialisations). */
    public record State(UUID runId, float[] control, float[] personal) {
        public State {
            control = control == null ? null : control.clone();
            personal = personal == null ? null : personal.clone();
        }
    }

    synchronized State state() {
        return runId == null || (control == null && personal == null) ? null : new State(runId, control, personal);
    }

    synchronized void restore(State s) {
        runId = s == null ? null : s.runId();
        control = s == null || s.control() == null ? null : s.control().clone();
        personal = s == null || s.personal() == null ? null : s.personal().clone();
    }

    private void forRun(UUID run) {
        if (!run.equals(runId)) {
            runId = run;
            control = null;
            personal = null;
        }
    }

    /** Trains one round under the instruction's algorithm; the delta has the instruction's vector length. */
    synchronized TrainResult train(TaskInstruction t, float[] vector, LocalTrainer trainer, float[][] x, float[] y,
                                   TrainingSettings settings) {
        return train(t, vector, trainer, x, y, null, settings);
    }

    /** As above, with survival times for a survival (cox) model, else null. */
    synchronized TrainResult train(TaskInstruction t, float[] vector, LocalTrainer trainer, float[][] x, float[] y, float[] time,
                                   TrainingSettings settings) {
        LocalAlgorithm a = t.algorithm();
        forRun(t.runId());
        int p = trainer.spec().parameterCount();
        int expected = LocalAlgorithm.vectorLength(a, p);
        if (vector.length != expected)
            throw new IllegalStateException(a.kind() + ": global vector has " + vector.length + " values, expected " + expected);
        return switch (a.kind()) {
            case FEDPROX -> trainer.train(vector, x, y, time, settings, t.seed(), SgdCorrection.proximal(a.mu(), vector));
            case DITTO -> {
                TrainResult r = trainer.train(vector, x, y, time, settings, t.seed());
                if (r.hasData()) {
                    float[] v = personal == null ? vector.clone() : personal;
                    TrainResult pr = trainer.train(v, x, y, time, settings, t.seed() * 31 + 17, SgdCorrection.proximal(a.lambda(), vector));
                    float[] next = v.clone();
                    for (int i = 0; i < p; i++) next[i] += pr.delta()[i];
                    personal = next;
                }
                yield r;
            }
            case SCAFFOLD -> {
                float[] xg = Arrays.copyOfRange(vector, 0, p);
                float[] c = Arrays.copyOfRange(vector, p, 2 * p);
                float[] ci = control == null ? new float[p] : control;
                float[] drift = new float[p];
                for (int i = 0; i < p; i++) drift[i] = c[i] - ci[i];
                TrainResult r = trainer.train(xg, x, y, time, settings, t.seed(), SgdCorrection.drift(drift));
                if (!r.hasData()) yield r;
                double scale = 1.0 / (r.steps() * settings.learningRate());
                float[] delta = new float[2 * p];
                float[] next = new float[p];
                for (int i = 0; i < p; i++) {
                    float dy = r.delta()[i];
                    next[i] = (float) (ci[i] - c[i] - dy * scale);   // c_i⁺ = c_i − c + (x − y_i)/(K·η_l)
                    delta[i] = dy;
                    delta[p + i] = next[i] - ci[i];
                }
                control = next;
                yield new TrainResult(delta, r.numExamples(), r.meanLoss(), r.steps());
            }
        };
    }

    /** The parameters an EVALUATE instruction measures: the model part of the vector, or Ditto's personal model. */
    synchronized float[] evaluationModel(TaskInstruction t, float[] vector, int parameterCount) {
        LocalAlgorithm a = t.algorithm();
        if (a == null) return vector;
        forRun(t.runId());
        if (a.kind() == LocalAlgorithm.Kind.DITTO && personal != null) return personal.clone();
        return vector.length == parameterCount ? vector : Arrays.copyOf(vector, parameterCount);
    }

    /** Ditto's personal model of the current run (null before the first round, or under other algorithms). */
    synchronized float[] personalModel() {
        return personal == null ? null : personal.clone();
    }

    /** SCAFFOLD's site control variate c_i of the current run (null before the first round). */
    synchronized float[] controlVariate() {
        return control == null ? null : control.clone();
    }
}

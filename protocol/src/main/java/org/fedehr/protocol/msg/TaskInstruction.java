package org.fedehr.protocol.msg;

import java.util.UUID;

/**
 * One task for one site, as the coordinator publishes it.
 *
 * @param runId          the run
 * @param taskSeq        monotonically increasing task number within the run (sites poll "after" the last one)
 * @param round          the round (0 for the statistics phase)
 * @param kind           what to do
 * @param modelDigest    SHA-256 of the model spec's canonical JSON (hex)
 * @param modelSpecJson  the model spec itself, canonical JSON (the site checks it hashes to modelDigest)
 * @param modelVersion   version of the global model to fetch (TRAIN trains from it, EVALUATE evaluates it)
 * @param paramCount     length of the flat parameter vector
 * @param training       local training settings (TRAIN only, else null)
 * @param seed           seed for this site's local randomness this round
 * @param deadlineEpochMs time by which the reply must arrive
 * @param secagg         secure-aggregation parameters and material of this stage (null when updates are not masked)
 * @param algorithm      what the strategy asks of the site beyond plain training (FedProx, SCAFFOLD, Ditto), on TRAIN
 *                       and EVALUATE instructions; null for plain training
 */
public record TaskInstruction(UUID runId, long taskSeq, int round, TaskKind kind, String modelDigest,
                              String modelSpecJson, int modelVersion, int paramCount, TrainingPlan training, long seed,
                              long deadlineEpochMs, SecAggTask secagg, LocalAlgorithm algorithm) {
    public TaskInstruction {
        if (runId == null) throw new IllegalArgumentException("runId must not be null");
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (round < 0) throw new IllegalArgumentException("round must be >= 0, was " + round);
        if (kind == TaskKind.TRAIN && training == null)
            throw new IllegalArgumentException("a TRAIN instruction needs training settings");
        if (paramCount < 0) throw new IllegalArgumentException("paramCount must be >= 0, was " + paramCount);
        boolean secaggStage = kind == TaskKind.SECAGG_KEYS || kind == TaskKind.SECAGG_SHARES || kind == TaskKind.SECAGG_UNMASK;
        if (secaggStage && secagg == null)
            throw new IllegalArgumentException("a " + kind + " instruction needs secure-aggregation parameters");
    }

    /** An instruction for plain local training (no {@link LocalAlgorithm}). */
    public TaskInstruction(UUID runId, long taskSeq, int round, TaskKind kind, String modelDigest, String modelSpecJson,
                           int modelVersion, int paramCount, TrainingPlan training, long seed, long deadlineEpochMs,
                           SecAggTask secagg) {
        this(runId, taskSeq, round, kind, modelDigest, modelSpecJson, modelVersion, paramCount, training, seed,
                deadlineEpochMs, secagg, null);
    }

    /** An instruction without secure aggregation. */
    public TaskInstruction(UUID runId, long taskSeq, int round, TaskKind kind, String modelDigest, String modelSpecJson,
                           int modelVersion, int paramCount, TrainingPlan training, long seed, long deadlineEpochMs) {
        this(runId, taskSeq, round, kind, modelDigest, modelSpecJson, modelVersion, paramCount, training, seed,
                deadlineEpochMs, null);
    }
}

package org.fedehr.coordinator;

/** Observes a run: the CLI prints a table from it, simulations collect results. */
public interface RunListener {
    default void roundCompleted(RoundRecord record) {
    }

    default void runFinished(RunResult result) {
    }

    /** Free-text coordinator events (opened round, site registered, update rejected...), already free of patient data. */
    default void event(String message) {
    }
}

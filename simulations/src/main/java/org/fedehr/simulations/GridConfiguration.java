package org.fedehr.simulations;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration of a {@link ScenarioGrid}: a strategy and values for the grid's settings, and the scenario they
 * make (validated like any scenario file).
 *
 * @param id       {@code c1}, {@code c2}, … in run order (stable names for summary.json, rounds.csv and the report)
 * @param label    e.g. {@code fedprox learning_rate=0.05, rounds=20}
 * @param strategyParams the strategy's parameters given in its grid entry (empty: the scenario's own, or defaults)
 * @param settings       dotted key → value as written in the grid, in the grid's order
 */
public record GridConfiguration(String id, String label, String strategy, Map<String, String> strategyParams,
                                Map<String, String> settings, Scenario scenario) {
    public GridConfiguration {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id must not be blank");
        if (label == null || label.isBlank()) throw new IllegalArgumentException("label must not be blank");
        if (strategy == null || strategy.isBlank()) throw new IllegalArgumentException("strategy must not be blank");
        if (scenario == null) throw new IllegalArgumentException("scenario must not be null");
        strategyParams = Collections.unmodifiableMap(new LinkedHashMap<>(strategyParams));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}

package org.fedehr.site.events;

import java.util.function.Consumer;

/**
 * A site's longitudinal extract, read stay by stay: each call of the consumer gets one stay's harmonised events
 * (mapped to dictionary concepts, converted to canonical units, plausible range applied, times relative to the
 * anchor), its statics and label (-1 when missing). Only stays of this site are delivered. Memory is bounded by one
 * stay (plus, for sources whose tables are not grouped by stay, one spill partition).
 */
public interface EventSource {

    /** Reads every stay of the site once, recording what happened in {@code report}. */
    void forEachStay(HarmonisationReport report, Consumer<StayEvents> consumer);

    EventDictionary dictionary();
}

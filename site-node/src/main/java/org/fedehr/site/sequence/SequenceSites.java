package org.fedehr.site.sequence;

import java.util.List;
import org.fedehr.site.SiteRows;
import org.fedehr.site.data.Row;

/** Helpers that let a {@link SequenceSite} stand where the node's tabular code expects {@link SiteRows}. */
public final class SequenceSites {
    private SequenceSites() {
    }

    /** The site's sizes, for the policy checks made before any record is read; it has no tabular rows. */
    public static SiteRows sizes(SequenceSite site) {
        if (site == null) throw new IllegalArgumentException("sequence site must not be null");
        return new SiteRows() {
            @Override
            public int trainSize() {
                return site.trainSize();
            }

            @Override
            public int testSize() {
                return site.testSize();
            }

            @Override
            public List<Row> train() {
                throw new IllegalStateException("a longitudinal site has stays, not tabular rows");
            }

            @Override
            public List<Row> test() {
                throw new IllegalStateException("a longitudinal site has stays, not tabular rows");
            }
        };
    }
}

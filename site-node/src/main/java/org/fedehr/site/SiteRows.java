package org.fedehr.site;

import org.fedehr.site.data.Row;

import java.util.List;

/**
 * A site's records as its node sees them: how many there are (which the policy may check without reading them), and
 * the rows themselves, which are only read once the policy has admitted an instruction.
 */
public interface SiteRows {
    int trainSize();

    int testSize();

    List<Row> train();

    List<Row> test();

    /** Rows already in memory. */
    static SiteRows of(List<Row> train, List<Row> test) {
        List<Row> tr = List.copyOf(train), te = List.copyOf(test);
        return new SiteRows() {
            @Override
            public int trainSize() {
                return tr.size();
            }

            @Override
            public int testSize() {
                return te.size();
            }

            @Override
            public List<Row> train() {
                return tr;
            }

            @Override
            public List<Row> test() {
                return te;
            }
        };
    }
}

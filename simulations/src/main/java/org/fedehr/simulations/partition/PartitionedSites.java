package org.fedehr.simulations.partition;

import org.fedehr.site.data.Feature;
import org.fedehr.site.data.FeatureDictionary;
import org.fedehr.site.data.FeatureType;
import org.fedehr.site.data.ReadReport;
import org.fedehr.site.data.Row;
import org.fedehr.site.data.SeededSplit;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.data.SplitSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a scenario's sites from a {@link PartitionSpec}: the sources' rows (already read, validated and split by
 * their own site configs) are pooled, assigned to sites by the partitioner, feature-shifted where asked, and split
 * into train and test per site. Each result is an ordinary {@link SiteData}, so a partitioned site goes through the
 * same federated statistics, harmonisation and site node as a real one: only where its rows come from differs.
 */
public final class PartitionedSites {
    private PartitionedSites() {
    }

    /**
     * @param sources the sources' data, in the order the spec lists them (their train and test rows are pooled)
     * @param columnValues for natural-by-column: the value of the spec's column for every pooled row, in pool order
     *                     (null for the other kinds)
     * @return site id → its data, in site order
     */
    public static Map<String, SiteData> build(PartitionSpec spec, List<SiteData> sources, List<String> columnValues,
                                              FeatureDictionary dict) {
        List<Row> pool = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SiteData s : sources) {
            pool.addAll(s.train());
            pool.addAll(s.test());
            names.add(s.report().file());
        }
        if (pool.isEmpty()) throw new IllegalArgumentException("partition: the source has no rows");
        float[] labels = new float[pool.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = pool.get(i).label();
        Map<String, int[]> parts = new LinkedHashMap<>();
        switch (spec.kind()) {
            case IID -> named(parts, spec, Partitioners.iid(pool.size(), spec.sites(), spec.seed()));
            case DIRICHLET -> named(parts, spec, Partitioners.dirichletLabel(labels, spec.sites(), spec.alpha(), spec.seed()));
            case QUANTITY -> named(parts, spec, Double.isNaN(spec.power())
                    ? Partitioners.quantityDirichlet(pool.size(), spec.sites(), spec.alpha(), spec.minRows(), spec.seed())
                    : Partitioners.quantityPower(pool.size(), spec.sites(), spec.power(), spec.minRows(), spec.seed()));
            case NATURAL -> byValue(parts, spec, columnValues, pool.size());
        }
        String file = "partition of " + String.join(" + ", names);
        Map<String, SiteData> out = new LinkedHashMap<>();
        int i = 0;
        for (var e : parts.entrySet()) {
            i++;
            List<Row> rows = new ArrayList<>();
            for (int idx : e.getValue()) rows.add(pool.get(idx));
            List<Row> train = new ArrayList<>(), test = new ArrayList<>();
            // each site's own stratified, seeded split (line order within a source; sources stay apart by pool order)
            SeededSplit.apply(rows, new SplitSpec.Seeded(spec.testFraction(), spec.seed() * 1_000_003L + i, true), train, test);
            out.put(e.getKey(), siteData(e.getKey(), file, train, test, dict));
        }
        return applyShifts(out, spec.shifts(), dict);
    }

    private static void named(Map<String, int[]> parts, PartitionSpec spec, List<int[]> assignment) {
        int width = String.valueOf(assignment.size()).length();
        for (int s = 0; s < assignment.size(); s++)
            parts.put(spec.sitePrefix() + "-" + String.format("%0" + Math.max(2, width) + "d", s + 1), assignment.get(s));
    }

    /** One site per distinct value (numeric values in numeric order, then text in text order). */
    private static void byValue(Map<String, int[]> parts, PartitionSpec spec, List<String> values, int n) {
        if (values == null || values.size() != n) throw new IllegalStateException("natural partition needs the column value of every row");
        TreeMap<String, List<Integer>> groups = new TreeMap<>(VALUE_ORDER);
        for (int i = 0; i < n; i++) {
            String v = values.get(i);
            if (v == null || v.isBlank())
                throw new IllegalArgumentException("partition.column '" + spec.column() + "': row " + (i + 1) + " of the source has no value");
            groups.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
        }
        for (var g : groups.entrySet()) {
            String id = (spec.column() + "-" + g.getKey()).replaceAll("[^A-Za-z0-9_-]", "_");
            if (parts.containsKey(id))
                throw new IllegalArgumentException("partition.column '" + spec.column() + "': values give the same site id " + id);
            parts.put(id, g.getValue().stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static final Comparator<String> VALUE_ORDER = (a, b) -> {
        Double x = number(a), y = number(b);
        if (x != null && y != null) return x.equals(y) ? a.compareTo(b) : Double.compare(x, y);
        if (x != null) return -1;
        if (y != null) return 1;
        return a.compareTo(b);
    };

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Applies feature shifts to the named sites' raw values (train and test): {@code v × scale + offset}, computed in
     * exact decimal arithmetic on the canonical text. Sites not named are returned unchanged.
     *
     * @throws IllegalArgumentException naming the shift whose site is not a site of the scenario or whose feature is
     *                                  not a numeric feature of the dictionary
     */
    public static Map<String, SiteData> applyShifts(Map<String, SiteData> sites, List<PartitionSpec.FeatureShift> shifts,
                                                    FeatureDictionary dict) {
        if (shifts.isEmpty()) return sites;
        for (int i = 0; i < shifts.size(); i++) {
            final int k = i;
            PartitionSpec.FeatureShift s = shifts.get(k);
            if (!sites.containsKey(s.site()))
                throw new IllegalArgumentException("feature_shift[" + k + "].site: '" + s.site() + "' is not a site of this scenario "
                        + "(sites: " + String.join(", ", sites.keySet()) + ")");
            Feature f = dict.feature(s.feature()).orElseThrow(() -> new IllegalArgumentException("feature_shift[" + k
                    + "].feature: '" + s.feature() + "' is not a feature of the dictionary (" + String.join(", ", dict.names()) + ")"));
            if (f.type() != FeatureType.NUMERIC)
                throw new IllegalArgumentException("feature_shift[" + k + "].feature: '" + s.feature() + "' is "
                        + f.type().yamlName() + "; only numeric features can be shifted");
        }
        Map<String, SiteData> out = new LinkedHashMap<>();
        for (var e : sites.entrySet()) {
            SiteData d = e.getValue();
            List<PartitionSpec.FeatureShift> mine = shifts.stream().filter(s -> s.site().equals(e.getKey())).toList();
            if (mine.isEmpty()) {
                out.put(e.getKey(), d);
                continue;
            }
            out.put(e.getKey(), new SiteData(d.siteId(), shifted(d.train(), mine, dict), shifted(d.test(), mine, dict), d.report()));
        }
        return out;
    }

    private static List<Row> shifted(List<Row> rows, List<PartitionSpec.FeatureShift> shifts, FeatureDictionary dict) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String[] v = r.values();
            for (PartitionSpec.FeatureShift s : shifts) {
                int f = dict.names().indexOf(s.feature());
                if (v[f] == null) continue;
                BigDecimal x = new BigDecimal(v[f]).multiply(BigDecimal.valueOf(s.scale())).add(BigDecimal.valueOf(s.offset()));
                v[f] = x.signum() == 0 ? "0" : x.stripTrailingZeros().toPlainString();
            }
            out.add(new Row(r.line(), v, r.label()));
        }
        return out;
    }

    static SiteData siteData(String id, String file, List<Row> train, List<Row> test, FeatureDictionary dict) {
        TreeMap<String, Long> missing = new TreeMap<>();
        for (int f = 0; f < dict.size(); f++) {
            long m = 0;
            for (Row r : train) if (r.value(f) == null) m++;
            for (Row r : test) if (r.value(f) == null) m++;
            missing.put(dict.names().get(f), m);
        }
        long n = train.size() + test.size();
        return new SiteData(id, train, test, new ReadReport(file, n, 0, n, Map.of(), 0, train.size(), test.size(), missing));
    }

    /** Rows and label counts of one site: counts only, never a value. */
    public record SiteSummary(String site, int rows, int train, int test, int negatives, int positives) {
    }

    public static List<SiteSummary> summary(Map<String, SiteData> sites) {
        List<SiteSummary> out = new ArrayList<>();
        for (SiteData d : sites.values()) {
            int pos = 0;
            for (Row r : d.train()) if (r.label() == 1f) pos++;
            for (Row r : d.test()) if (r.label() == 1f) pos++;
            int n = d.train().size() + d.test().size();
            out.add(new SiteSummary(d.siteId(), n, d.train().size(), d.test().size(), n - pos, pos));
        }
        return out;
    }
}

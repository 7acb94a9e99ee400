package org.fedehr.simulations;

import org.fedehr.simulations.partition.PartitionSpec;
import org.fedehr.simulations.partition.PartitionedSites;
import org.fedehr.site.data.ColumnValues;
import org.fedehr.site.data.DataConfigException;
import org.fedehr.site.data.DataFormatException;
import org.fedehr.site.data.Row;
import org.fedehr.site.data.SiteData;
import org.fedehr.site.data.SiteDataConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A scenario's {@code partition:} applied to the site data read by {@link Simulation#loadSites}, and its summary. */
final class Partitions {
    private Partitions() {
    }

    /**
     * @param read the data of the scenario's site files (the partition's sources when it has some), in order
     * @return the sites the scenario runs
     */
    static Map<String, SiteData> apply(Scenario sc, Map<String, SiteData> read, Path dataRoot) {
        PartitionSpec p = sc.partition();
        try {
            if (!p.repartitions()) return PartitionedSites.applyShifts(read, p.shifts(), sc.federation().dictionary());
            List<SiteData> sources = new ArrayList<>(read.values());
            List<String> column = null;
            if (p.kind() == PartitionSpec.Kind.NATURAL) {
                column = new ArrayList<>();
                for (int i = 0; i < sources.size(); i++) {
                    SiteDataConfig cfg = SiteDataConfig.load(sc.siteFiles().get(i));
                    Map<Integer, String> byLine = columnValues(sc, cfg, dataRoot, p.column());
                    for (Row r : sources.get(i).train()) column.add(byLine.get(r.line()));
                    for (Row r : sources.get(i).test()) column.add(byLine.get(r.line()));
                }
            }
            return PartitionedSites.build(p, sources, column, sc.federation().dictionary());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(sc.file() + ": partition: " + e.getMessage(), e);
        }
    }

    /** The column's value per line: a dictionary feature's canonical value, or the raw text of another column. */
    private static Map<Integer, String> columnValues(Scenario sc, SiteDataConfig cfg, Path dataRoot, String column) {
        try {
            return ColumnValues.read(cfg, dataRoot, column);
        } catch (DataConfigException | DataFormatException e) {
            throw new ConfigException(sc.file() + ": partition.column: " + e.getMessage(), e);
        }
    }

    /** "partition dirichlet(alpha=0.5), seed 7: 740 rows into 10 sites" and one line per site (counts only). */
    static void print(PrintStream out, Scenario sc, Map<String, SiteData> sites) {
        PartitionSpec p = sc.partition();
        List<PartitionedSites.SiteSummary> rows = PartitionedSites.summary(sites);
        int total = rows.stream().mapToInt(PartitionedSites.SiteSummary::rows).sum();
        out.println("partition " + p.describe() + (p.repartitions() ? ", seed " + p.seed() : "") + ": " + total + " rows, "
                + rows.size() + " sites" + (p.shifts().isEmpty() ? "" : "; feature shifts: " + shifts(p)));
        out.printf(Locale.ROOT, "  %-16s %6s %6s %6s %8s %8s%n", "site", "rows", "train", "test", "label_0", "label_1");
        for (PartitionedSites.SiteSummary s : rows)
            out.printf(Locale.ROOT, "  %-16s %6d %6d %6d %8d %8d%n", s.site(), s.rows(), s.train(), s.test(), s.negatives(), s.positives());
    }

    static String shifts(PartitionSpec p) {
        List<String> out = new ArrayList<>();
        for (PartitionSpec.FeatureShift s : p.shifts())
            out.add(s.site() + "." + s.feature() + " x " + s.scale() + (s.offset() == 0 ? "" : " + " + s.offset()));
        return String.join(", ", out);
    }

    /** {@code partition.csv}: site, rows, train, test, label_0, label_1. */
    static void write(Path outDir, Map<String, SiteData> sites) throws IOException {
        Files.createDirectories(outDir);
        StringBuilder sb = new StringBuilder("site,rows,train,test,label_0,label_1\n");
        for (PartitionedSites.SiteSummary s : PartitionedSites.summary(sites))
            sb.append(s.site()).append(',').append(s.rows()).append(',').append(s.train()).append(',').append(s.test())
                    .append(',').append(s.negatives()).append(',').append(s.positives()).append('\n');
        Files.writeString(outDir.resolve("partition.csv"), sb.toString());
    }

    /** The summary as JSON for summary.json: {"kind": …, "seed": …, "sites": [{site, rows, train, test, label_0, label_1}]}. */
    static com.fasterxml.jackson.databind.node.ObjectNode json(Scenario sc, Map<String, SiteData> sites) {
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        PartitionSpec p = sc.partition();
        o.put("kind", p.describe());
        if (p.repartitions()) o.put("seed", p.seed());
        if (!p.shifts().isEmpty()) o.put("feature_shift", shifts(p));
        var arr = o.putArray("sites");
        for (PartitionedSites.SiteSummary s : PartitionedSites.summary(sites)) {
            var e = arr.addObject();
            e.put("site", s.site());
            e.put("rows", s.rows());
            e.put("train", s.train());
            e.put("test", s.test());
            e.put("label_0", s.negatives());
            e.put("label_1", s.positives());
        }
        return o;
    }
}

package org.fedehr.simulations;

import org.fedehr.coordinator.EvaluationSummary;
import org.fedehr.coordinator.RoundRecord;
import org.fedehr.coordinator.SiteFailure;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code report.html} of a grid run and its PNG plots (XChart), all in one folder: metric vs round per configuration
 * (mean over seeds, sd as error bars), the sites' final accuracies per configuration and their spread (fairness),
 * bytes per round up and down, faults as the round records hold them, the final figures with baselines, and the
 * provenance (scenario text, seeds, versions, run date). The page has no external references: open it anywhere.
 */
public final class GridReport {
    public static final String HTML = "report.html";
    public static final String ACCURACY_PNG = "accuracy-vs-round.png";
    public static final String AUROC_PNG = "auroc-vs-round.png";
    public static final String LOSS_PNG = "loss-vs-round.png";
    public static final String C_INDEX_PNG = "c-index-vs-round.png";
    public static final String SITES_PNG = "site-accuracy.png";
    public static final String BYTES_PNG = "bytes-per-round.png";
    public static final String FAULTS_PNG = "faults-per-round.png";
    private static final int W = 1000, H = 420;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    /** Distinguishable on white, in order (Okabe–Ito, then darker variants). */
    private static final Color[] COLORS = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0),
            new Color(153, 153, 51), new Color(136, 34, 85), new Color(68, 119, 170), new Color(170, 68, 153),
            new Color(102, 102, 102)};

    private final GridResult g;

    public GridReport(GridResult result) {
        this.g = result;
    }

    /** Writes report.html and its plots into {@code dir}; returns the page. Plots with nothing to show are not drawn. */
    public Path write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Map<String, Boolean> drawn = new LinkedHashMap<>();
        drawn.put(ACCURACY_PNG, metricChart(dir.resolve(ACCURACY_PNG), "Federated accuracy per round (test-row weighted)",
                "accuracy", EvaluationSummary::accuracy));
        drawn.put(AUROC_PNG, metricChart(dir.resolve(AUROC_PNG), "Federated AUROC per round (test-row weighted mean of the sites' AUROCs)",
                "AUROC", EvaluationSummary::auroc));
        drawn.put(LOSS_PNG, metricChart(dir.resolve(LOSS_PNG), "Federated log-loss per round (test-row weighted)",
                "log-loss", EvaluationSummary::loss));
        drawn.put(C_INDEX_PNG, metricChart(dir.resolve(C_INDEX_PNG), "Federated C-index per round (test-row weighted mean of the sites' C-indices)",
                "C-index", EvaluationSummary::cIndex));
        drawn.put(SITES_PNG, siteChart(dir.resolve(SITES_PNG)));
        drawn.put(BYTES_PNG, bytesChart(dir.resolve(BYTES_PNG)));
        drawn.put(FAULTS_PNG, faultsChart(dir.resolve(FAULTS_PNG)));
        Path html = dir.resolve(HTML);
        Files.writeString(html, html(drawn), StandardCharsets.UTF_8);
        return html;
    }

    // ------------------------------------------------------------------ per-round series

    /** Per round: the values of all seeds of a configuration (absent rounds have no value). */
    private static TreeMap<Integer, List<Double>> perRound(GridResult.ConfigurationRuns c, Function<RoundRecord, Double> f) {
        TreeMap<Integer, List<Double>> out = new TreeMap<>();
        for (SeedResult r : c.results())
            for (RoundRecord rr : r.rounds()) {
                Double v = f.apply(rr);
                if (v != null && Double.isFinite(v)) out.computeIfAbsent(rr.round(), k -> new ArrayList<>()).add(v);
            }
        return out;
    }

    private boolean metricChart(Path png, String title, String yTitle, Function<EvaluationSummary, Double> metric) throws IOException {
        int n = g.configurations().size();
        XYChart c = xyChart(title, "round", yTitle + (g.grid().seeds().size() > 1 ? " (mean over seeds; bars: ± sd)" : ""));
        boolean any = false;
        int i = 0;
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            TreeMap<Integer, List<Double>> pr = perRound(cr, rr -> rr.evaluation() == null ? null : metric.apply(rr.evaluation()));
            int idx = i++;
            if (pr.isEmpty()) continue;
            // configurations side by side within a round, so that their error bars do not hide each other
            double offset = n == 1 ? 0 : (idx - (n - 1) / 2.0) * Math.min(0.06, 0.36 / n);
            double[] x = new double[pr.size()], y = new double[pr.size()], e = new double[pr.size()];
            int k = 0;
            for (var en : pr.entrySet()) {
                MeanSd s = MeanSd.of(en.getValue());
                x[k] = en.getKey() + offset;
                y[k] = s.mean();
                e[k++] = s.sd();
            }
            XYSeries s = g.grid().seeds().size() > 1 ? c.addSeries(legend(cr), x, y, e) : c.addSeries(legend(cr), x, y);
            style(s, idx, false);
            any = true;
        }
        return save(c, png, any);
    }

    private static TreeMap<Integer, Double> means(TreeMap<Integer, List<Double>> perRound) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        perRound.forEach((r, v) -> out.put(r, MeanSd.of(v).mean()));
        return out;
    }

    /** Same rounds, and every round's values within 1 % of each other. */
    private static boolean close(TreeMap<Integer, Double> a, TreeMap<Integer, Double> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (var e : a.entrySet()) {
            double x = e.getValue(), y = b.get(e.getKey());
            if (Math.abs(x - y) > 0.01 * Math.max(Math.abs(x), Math.abs(y))) return false;
        }
        return true;
    }

    private boolean bytesChart(Path png) throws IOException {
        long max = 0;
        for (GridResult.ConfigurationRuns cr : g.configurations())
            for (SeedResult r : cr.results())
                for (RoundRecord rr : r.rounds()) max = Math.max(max, Math.max(rr.bytesUp(), rr.bytesDown()));
        double unit = max >= 10L << 20 ? 1 << 20 : max >= 10L << 10 ? 1 << 10 : 1;
        String unitName = unit == 1 << 20 ? "MiB" : unit == 1 << 10 ? "KiB" : "bytes";
        XYChart c = xyChart("Bytes per round: up (sites → coordinator, solid) and down (dashed); equal configurations share a line", "round",
                unitName + " per round" + (g.grid().seeds().size() > 1 ? " (mean over seeds)" : ""));
        c.getStyler().setYAxisMin(0.0);
        // configurations that moved the same bytes (within 1 % in every round) share one line: drawn separately they
        // would hide each other
        List<List<Integer>> groups = new ArrayList<>();
        List<TreeMap<Integer, Double>> ups = new ArrayList<>(), downs = new ArrayList<>();
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            ups.add(means(perRound(cr, rr -> (double) rr.bytesUp())));
            downs.add(means(perRound(cr, rr -> (double) rr.bytesDown())));
        }
        for (int k = 0; k < ups.size(); k++) {
            List<Integer> home = null;
            for (List<Integer> grp : groups)
                if (close(ups.get(grp.get(0)), ups.get(k)) && close(downs.get(grp.get(0)), downs.get(k))) home = grp;
            if (home == null) groups.add(home = new ArrayList<>());
            home.add(k);
        }
        boolean any = false;
        for (List<Integer> grp : groups) {
            int idx = grp.get(0);
            List<String> ids = grp.stream().map(k -> g.configurations().get(k).configuration().id()).toList();
            String name = grp.size() == 1 ? legend(g.configurations().get(idx)) : String.join(", ", ids);
            for (boolean up : new boolean[]{true, false}) {
                TreeMap<Integer, Double> m = up ? ups.get(idx) : downs.get(idx);
                if (m.isEmpty()) continue;
                List<Integer> x = new ArrayList<>(m.keySet());
                List<Double> y = m.values().stream().map(v -> v / unit).toList();
                XYSeries s = c.addSeries(name + (up ? " up" : " down"), x, y);
                style(s, idx, !up);
                any = true;
            }
        }
        return save(c, png, any);
    }

    /** Each configuration's final per-site accuracy (mean over seeds) as dots, beside the pooled and local-only baselines. */
    /** The per-site figure of the report: accuracy, or the C-index when no site has an accuracy (survival models). */
    private boolean cIndexSites() {
        for (GridResult.ConfigurationRuns cr : g.configurations())
            if (!GridSummary.siteAccuracyOverSeeds(cr).isEmpty()) return false;
        for (GridResult.ConfigurationRuns cr : g.configurations())
            if (!GridSummary.siteOverSeeds(cr, SiteMetrics::cIndex).isEmpty()) return true;
        return false;
    }

    private Function<SiteMetrics, Double> siteFigure() {
        return cIndexSites() ? SiteMetrics::cIndex : SiteMetrics::accuracy;
    }

    private String siteFigureName() {
        return cIndexSites() ? "C-index" : "accuracy";
    }

    private boolean siteChart(Path png) throws IOException {
        Function<SiteMetrics, Double> fig = siteFigure();
        List<String> cats = new ArrayList<>();
        Map<String, Map<String, Double>> bySite = new TreeMap<>();      // site → category → figure
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            String cat = cr.configuration().id();
            cats.add(cat);
            GridSummary.siteOverSeeds(cr, fig).forEach((site, s) -> bySite.computeIfAbsent(site, k -> new LinkedHashMap<>()).put(cat, s.mean()));
        }
        Map<String, List<Double>> pooled = new TreeMap<>(), local = new TreeMap<>();
        for (GridResult.Baselines b : g.baselines()) {
            if (b.pooled() != null)
                b.pooled().perSite().forEach((site, m) -> pooled.computeIfAbsent(site, k -> new ArrayList<>()).add(fig.apply(m)));
            b.localOwnSite(fig).forEach((site, v) -> local.computeIfAbsent(site, k -> new ArrayList<>()).add(v));
        }
        if (!pooled.isEmpty()) cats.add("pooled");
        if (!local.isEmpty()) cats.add("local-only");
        pooled.forEach((site, v) -> {
            MeanSd s = MeanSd.of(v);
            if (s != null) bySite.computeIfAbsent(site, k -> new LinkedHashMap<>()).put("pooled", s.mean());
        });
        local.forEach((site, v) -> {
            MeanSd s = MeanSd.of(v);
            if (s != null) bySite.computeIfAbsent(site, k -> new LinkedHashMap<>()).put("local-only", s.mean());
        });
        if (bySite.isEmpty()) return save(null, png, false);
        CategoryChart c = new CategoryChartBuilder().width(W).height(H)
                .title("Final test " + siteFigureName() + " of each site, per configuration (fairness: the spread of the dots)")
                .xAxisTitle("configuration (ids as in the tables; pooled / local-only: baselines)")
                .yAxisTitle("site test " + siteFigureName() + (g.grid().seeds().size() > 1 ? " (mean over seeds)" : "")).build();
        common(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        c.getStyler().setOverlapped(true);
        c.getStyler().setMarkerSize(11);
        c.getStyler().setXAxisLabelRotation(cats.size() > 14 ? 90 : 0);
        int i = 0;
        for (var en : bySite.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (String cat : cats) y.add(en.getValue().get(cat));
            CategorySeries s = c.addSeries(en.getKey(), cats, y);
            s.setFillColor(COLORS[i % COLORS.length]);
            s.setMarkerColor(COLORS[i % COLORS.length]);
            s.setMarker(MARKERS[i % MARKERS.length]);
            i++;
        }
        return save(c, png, true);
    }

    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
            SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS};

    /** Kinds of fault in a round record, counted per site (or per round for a round that produced no model). */
    static Map<String, Integer> faults(RoundRecord rr, int sites) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (SiteFailure f : rr.failures()) out.merge("failed: " + f.reason(), 1, Integer::sum);
        if (!rr.lateReplies().isEmpty()) out.merge("late reply (not counted)", rr.lateReplies().size(), Integer::sum);
        int leftOut = sites - rr.selected().size();
        if (leftOut > 0) out.merge("not selected / dropped", leftOut, Integer::sum);
        if (!rr.updated()) out.merge("round produced no model", 1, Integer::sum);
        return out;
    }

    private int sites(SeedResult r) {
        Set<String> s = new TreeSet<>();
        for (RoundRecord rr : r.rounds()) {
            s.addAll(rr.selected());
            if (rr.evaluation() != null) s.addAll(rr.evaluation().perSite().keySet());
        }
        if (r.federated() != null) s.addAll(r.federated().perSite().keySet());
        return s.size();
    }

    /** "C: dropout (connection cut …)" → "injected: dropout". */
    static String injectedKind(String line) {
        int colon = line.indexOf(": ");
        String what = colon < 0 ? line : line.substring(colon + 2);
        int paren = what.indexOf(" (");
        return "injected: " + (paren < 0 ? what : what.substring(0, paren));
    }

    private boolean faultsChart(Path png) throws IOException {
        TreeMap<Integer, Map<String, Integer>> byRound = new TreeMap<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (GridResult.ConfigurationRuns cr : g.configurations())
            for (SeedResult r : cr.results()) {
                int n = sites(r);
                for (RoundRecord rr : r.rounds()) {
                    Map<String, Integer> f = new LinkedHashMap<>();
                    for (String inj : g.injected(cr.configuration().id(), r.seed(), rr.round())) f.merge(injectedKind(inj), 1, Integer::sum);
                    f.putAll(faults(rr, n));
                    byRound.computeIfAbsent(rr.round(), k -> new TreeMap<>());
                    f.forEach((k, v) -> byRound.get(rr.round()).merge(k, v, Integer::sum));
                    kinds.addAll(f.keySet());
                }
            }
        if (kinds.isEmpty()) return save(null, png, false);
        CategoryChart c = new CategoryChartBuilder().width(W).height(H)
                .title("Faults per round: injected (plan) and as the round records hold them (all configurations and seeds)")
                .xAxisTitle("round").yAxisTitle("count, summed over runs").build();
        common(c.getStyler());
        c.getStyler().setStacked(true);
        c.getStyler().setOverlapped(false);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisDecimalPattern("#");
        c.getStyler().setXAxisLabelRotation(byRound.size() > 30 ? 90 : 0);
        List<Integer> rounds = new ArrayList<>(byRound.keySet());
        int i = 0;
        for (String kind : kinds) {
            List<Integer> y = rounds.stream().map(r -> byRound.get(r).getOrDefault(kind, 0)).toList();
            CategorySeries s = c.addSeries(kind, rounds, y);
            s.setFillColor(COLORS[(i++ + 1) % COLORS.length]);
        }
        return save(c, png, true);
    }

    private XYChart xyChart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        common(c.getStyler());
        c.getStyler().setErrorBarsColorSeriesColor(true);
        // rounds are whole numbers (ticks fall on them; configurations are drawn a little apart around them). An empty
        // label for the off-round values XChart also formats would hide every label.
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> String.valueOf(Math.round(v)));
        return c;
    }

    private static void style(XYSeries s, int idx, boolean dashed) {
        Color col = COLORS[idx % COLORS.length];
        s.setLineColor(col);
        s.setMarkerColor(col);
        s.setMarker(MARKERS[idx % MARKERS.length]);
        s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private void common(AxesChartStyler s) {
        s.setLegendPosition(g.configurations().size() > 6 ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setAntiAlias(true);
        s.setMarkerSize(7);
    }

    private static String legend(GridResult.ConfigurationRuns cr) {
        return cr.configuration().id() + " " + cr.configuration().label();
    }

    private static boolean save(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, Path png, boolean any) throws IOException {
        if (any && c != null) BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        else Files.deleteIfExists(png);
        return any && c != null;
    }

    // ------------------------------------------------------------------ HTML

    private String html(Map<String, Boolean> drawn) {
        ScenarioGrid grid = g.grid();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fedehr grid report: ").append(esc(grid.name()))
                .append("</title>\n<style>\n")
                .append("body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1060px;color:#222;font-size:14px}\n")
                .append("h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:30px;border-bottom:1px solid #ddd;padding-bottom:4px}\n")
                .append("table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3}td{white-space:nowrap}td.l,th.l{text-align:left;white-space:normal}tr.base td{background:#f8f8ee}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:6px 0}pre{background:#f6f6f6;padding:10px;font-size:12px;overflow-x:auto}\n")
                .append(".note{color:#555;font-size:13px}.bad{color:#b00}\n</style></head><body>\n");
        h.append("<h1>Grid report: ").append(esc(grid.name())).append("</h1>\n");
        h.append("<p class=\"note\">").append(grid.configurations().size()).append(" configurations × ").append(grid.seeds().size())
                .append(" seeds (").append(esc(grid.seeds().toString())).append(") = ").append(grid.runs()).append(" runs; started ")
                .append(WHEN.format(g.started())).append(", wall time ").append(String.format(Locale.ROOT, "%.1f s", g.wallSeconds()))
                .append(". Mean ± population sd over seeds throughout. Files beside this page: summary.json, rounds.csv.</p>\n");

        h.append("<h2>Final figures</h2>\n");
        summaryTable(h);
        h.append("<p class=\"note\">pooled test: on the union of the sites' test rows (the simulation harness sees them; a deployment"
                + " cannot). Mean site: mean over sites of each site's own test accuracy. Worst site / site sd: the spread across"
                + " sites. Baselines are trained once per seed on the same splits and features and shared by every configuration"
                + " (local-only: each site's own model on its own test split).</p>\n");

        if (g.flamby() != null) flambyTable(h, g.flamby());

        h.append("<h2>Metrics per round</h2>\n<p class=\"note\">The coordinator's federated evaluation of each round's global model,"
                + " built only from what each site reported about its own test rows. Configurations are drawn slightly apart within a"
                + " round so that their error bars stay visible.</p>\n");
        boolean anyMetric = false;
        for (String png : List.of(ACCURACY_PNG, AUROC_PNG, C_INDEX_PNG, LOSS_PNG)) {
            if (!Boolean.TRUE.equals(drawn.get(png))) continue;      // e.g. no accuracy for a survival model: no empty plot
            img(h, drawn, png, png.replace(".png", "").replace('-', ' '));
            anyMetric = true;
        }
        if (!anyMetric) h.append("<p class=\"note\">No round was evaluated in any run.</p>\n");

        h.append("<h2>Per-site results and fairness</h2>\n");
        img(h, drawn, SITES_PNG, "site accuracy per configuration");
        siteTable(h);

        h.append("<h2>Bytes transferred</h2>\n");
        img(h, drawn, BYTES_PNG, "bytes per round");
        bytesTable(h);

        h.append("<h2>Faults as they happened</h2>\n");
        img(h, drawn, FAULTS_PNG, "faults per round");
        faultTable(h);

        h.append("<h2>Provenance</h2>\n<table>");
        row(h, "scenario file", esc(grid.file().toString()));
        row(h, "strategies", esc(String.join(", ", grid.strategies())));
        row(h, "settings", esc(grid.settings().isEmpty() ? "none" : grid.settings().toString()));
        row(h, "seeds", esc(grid.seeds().toString()));
        row(h, "run date", esc(WHEN.format(g.started())));
        versions().forEach((k, v) -> row(h, esc(k), esc(v)));
        h.append("</table>\n<p class=\"note\">Scenario file as run:</p>\n<pre>").append(esc(grid.text())).append("</pre>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void img(StringBuilder h, Map<String, Boolean> drawn, String file, String alt) {
        if (Boolean.TRUE.equals(drawn.get(file)))
            h.append("<img src=\"").append(file).append("\" alt=\"").append(esc(alt)).append("\" width=\"").append(W).append("\">\n");
        else if (file.equals(FAULTS_PNG))
            h.append("<p>No fault was injected, no site failed, replied late or was left out, and every round produced a model,"
                    + " in every run.</p>\n");
        else h.append("<p class=\"note\">No ").append(esc(alt)).append(": no run recorded a value for it.</p>\n");
    }

    private void summaryTable(StringBuilder h) {
        String[][] all = {{"pooled_test_accuracy", "pooled test acc."}, {"pooled_test_auroc", "pooled AUROC"},
                {"pooled_test_c_index", "pooled C-index"}, {"pooled_test_loss", "pooled loss"}, {"mean_site_accuracy", "mean site acc."},
                {"mean_site_c_index", "mean site C-index"}, {"worst_site_accuracy", "worst site acc."},
                {"worst_site_c_index", "worst site C-index"}, {"site_accuracy_sd", "site acc. sd"}};
        // only the figures some configuration has (a survival model has no accuracy, a classifier no C-index)
        Set<String> present = new java.util.HashSet<>();
        for (GridResult.ConfigurationRuns cr : g.configurations()) present.addAll(GridSummary.overSeeds(cr).keySet());
        String[][] cols = java.util.Arrays.stream(all).filter(c -> present.contains(c[0])).toArray(String[][]::new);
        h.append("<table><tr><th class=\"l\">id</th><th class=\"l\">configuration</th>");
        for (String[] c : cols) h.append("<th>").append(c[1]).append("</th>");
        h.append("<th>seeds</th></tr>\n");
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            Map<String, MeanSd> s = GridSummary.overSeeds(cr);
            h.append("<tr><td class=\"l\">").append(cr.configuration().id()).append("</td><td class=\"l\">")
                    .append(esc(cr.configuration().label())).append("</td>");
            for (String[] c : cols) h.append("<td>").append(pm(s.get(c[0]), c[0])).append("</td>");
            long ok = cr.results().stream().filter(r -> r.federated() != null).count();
            h.append("<td").append(ok < cr.runs().size() ? " class=\"bad\"" : "").append(">").append(ok).append("/")
                    .append(cr.runs().size()).append("</td></tr>\n");
        }
        // baselines: grouped by the configurations they apply to (one group unless settings change the data, model or baseline training)
        Map<List<String>, List<GridResult.Baselines>> groups = new LinkedHashMap<>();
        for (GridResult.Baselines b : g.baselines()) groups.computeIfAbsent(b.configurations(), k -> new ArrayList<>()).add(b);
        for (var en : groups.entrySet()) {
            Map<String, MeanSd> b = GridSummary.baselinesOverSeeds(en.getValue());
            String scope = groups.size() == 1 ? "" : " (for " + String.join(", ", en.getKey()) + ")";
            if (en.getValue().stream().anyMatch(x -> x.pooled() != null)) {
                h.append("<tr class=\"base\"><td class=\"l\"></td><td class=\"l\">pooled (centralised) baseline").append(esc(scope)).append("</td>");
                for (String[] c : cols) h.append("<td>").append(pm(b.get("pooled." + c[0]), c[0])).append("</td>");
                h.append("<td>").append(en.getValue().size()).append("</td></tr>\n");
            }
            if (b.containsKey("local.mean_site_accuracy")) {
                h.append("<tr class=\"base\"><td class=\"l\"></td><td class=\"l\">local-only baseline (own site)").append(esc(scope)).append("</td>");
                for (String[] c : cols) h.append("<td>").append(pm(b.get("local." + c[0]), c[0])).append("</td>");
                h.append("<td>").append(en.getValue().size()).append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
        for (GridResult.ConfigurationRuns cr : g.configurations())
            for (GridResult.SeedRun r : cr.runs())
                if (r.error() != null)
                    h.append("<p class=\"bad\">").append(cr.configuration().id()).append(" seed ").append(r.seed()).append(": run failed: ")
                            .append(esc(r.error())).append("</p>\n");
    }

    private static void flambyTable(StringBuilder h, FlambyComparison f) {
        String metric = f.spec().metric().equals("c_index") ? "C-index" : "accuracy";
        h.append("<h2>Beside FLamby's published results</h2>\n<p class=\"note\">").append(esc(f.spec().dataset())).append(", ").append(metric)
                .append("; FLamby's figures read from ").append(esc(f.flamby().source().toString()))
                .append(". Mean over clients: mean over the sites of each site's own test ").append(metric)
                .append(" (FLamby's headline), then mean ± population sd over seeds; pooled test: on the union of the test sets.</p>\n");
        h.append("<table><tr><th class=\"l\">FLamby method</th><th class=\"l\">ours</th><th>ours: mean over clients</th>"
                + "<th>FLamby: mean over clients</th><th>ours: pooled test</th><th>FLamby: pooled test</th></tr>\n");
        for (FlambyComparison.Row r : f.rows())
            h.append("<tr><td class=\"l\">").append(esc(r.method())).append("</td><td class=\"l\">").append(esc(r.ours() == null ? "not run" : r.ours()))
                    .append("</td><td>").append(stat(r.oursMeanOverClients())).append("</td><td>").append(stat(r.flambyMeanOverClients()))
                    .append("</td><td>").append(stat(r.oursPooledTest())).append("</td><td>").append(stat(r.flambyPooledTest())).append("</td></tr>\n");
        h.append("</table>\n");
        if (f.checks().isEmpty()) return;
        h.append("<table><tr><th class=\"l\">target</th><th class=\"l\">figure</th><th>required</th><th>ours</th><th>met</th></tr>\n");
        for (FlambyComparison.Check c : f.checks())
            h.append("<tr><td class=\"l\">").append(esc(c.method())).append("</td><td class=\"l\">").append(esc(c.figure())).append("</td><td>")
                    .append(c.against().equals("FLamby") ? "≥ FLamby's " : "≥ ").append(String.format(Locale.ROOT, "%.4f", c.target()))
                    .append("</td><td>").append(c.value() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", c.value())).append("</td><td")
                    .append(c.met() ? ">met" : " class=\"bad\">NOT MET").append("</td></tr>\n");
        h.append("</table>\n");
    }

    private static String stat(FlambyResults.Stat s) {
        return s == null ? "" : String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", s.mean(), s.sd(), s.n());
    }

    private void siteTable(StringBuilder h) {
        Set<String> sites = new TreeSet<>();
        Map<String, Map<String, MeanSd>> per = new LinkedHashMap<>();
        boolean ci = cIndexSites();
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            Map<String, MeanSd> m = GridSummary.siteOverSeeds(cr, siteFigure());
            per.put(cr.configuration().id(), m);
            sites.addAll(m.keySet());
        }
        if (sites.isEmpty()) return;
        h.append("<table><tr><th class=\"l\">id</th>");
        for (String s : sites) h.append("<th>").append(esc(s)).append("</th>");
        h.append("<th>worst site</th><th>best site</th><th>sd across sites</th></tr>\n");
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            Map<String, MeanSd> s = GridSummary.overSeeds(cr);
            h.append("<tr><td class=\"l\">").append(cr.configuration().id()).append("</td>");
            for (String site : sites) h.append("<td>").append(pm(per.get(cr.configuration().id()).get(site), "")).append("</td>");
            if (ci) {
                h.append("<td>").append(pm(s.get("worst_site_c_index"), "")).append("</td><td></td><td></td></tr>\n");
            } else {
                h.append("<td>").append(pm(s.get("worst_site_accuracy"), "")).append("</td><td>").append(pm(s.get("best_site_accuracy"), ""))
                        .append("</td><td>").append(pm(s.get("site_accuracy_sd"), "")).append("</td></tr>\n");
            }
        }
        h.append("</table>\n<p class=\"note\">Final test ").append(siteFigureName()).append(" of each site (mean ± sd over seeds);"
                + " worst, best and sd across sites are computed per seed, then averaged.</p>\n");
    }

    private void bytesTable(StringBuilder h) {
        h.append("<table><tr><th class=\"l\">id</th><th class=\"l\">configuration</th><th>bytes up per run</th><th>bytes down per run</th>"
                + "<th>rounds aggregated</th><th>wall s per run</th></tr>\n");
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            Map<String, MeanSd> s = GridSummary.overSeeds(cr);
            h.append("<tr><td class=\"l\">").append(cr.configuration().id()).append("</td><td class=\"l\">").append(esc(cr.configuration().label()))
                    .append("</td><td>").append(bytes(s.get("bytes_up"))).append("</td><td>").append(bytes(s.get("bytes_down")))
                    .append("</td><td>").append(pm(s.get("rounds_aggregated"), "rounds_aggregated")).append("</td><td>")
                    .append(pm(s.get("wall_seconds"), "wall_seconds")).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"note\">Wall time of a run includes its baselines when it trained them (the first"
                + " configuration of each seed).</p>\n");
    }

    private static final int MAX_FAULT_ROWS = 200;

    private void faultTable(StringBuilder h) {
        StringBuilder rows = new StringBuilder();
        int shown = 0, total = 0;
        Map<String, int[]> perConfig = new LinkedHashMap<>();   // id → injected, failures, late, left out, rounds without model
        for (GridResult.ConfigurationRuns cr : g.configurations()) {
            int[] t = perConfig.computeIfAbsent(cr.configuration().id(), k -> new int[5]);
            for (SeedResult r : cr.results()) {
                int n = sites(r);
                for (RoundRecord rr : r.rounds()) {
                    List<String> injected = g.injected(cr.configuration().id(), r.seed(), rr.round());
                    int leftOut = Math.max(0, n - rr.selected().size());
                    t[0] += injected.size();
                    t[1] += rr.failures().size();
                    t[2] += rr.lateReplies().size();
                    t[3] += leftOut;
                    t[4] += rr.updated() ? 0 : 1;
                    if (injected.isEmpty() && rr.failures().isEmpty() && rr.lateReplies().isEmpty() && leftOut == 0 && rr.updated()) continue;
                    total++;
                    if (shown++ >= MAX_FAULT_ROWS) continue;
                    rows.append("<tr><td class=\"l\">").append(cr.configuration().id()).append("</td><td>").append(r.seed()).append("</td><td>")
                            .append(rr.round()).append("</td><td class=\"l\">")
                            .append(esc(String.join("; ", injected.stream().map(GridReport::shortInjected).toList())))
                            .append("</td><td class=\"l\">").append(esc(shortStatus(rr.status()))).append("</td><td class=\"l\">")
                            .append(esc(String.join("; ", rr.failures().stream().map(f -> f.siteId() + ": " + f.reason()).toList())))
                            .append("</td><td class=\"l\">")
                            .append(esc(String.join("; ", rr.lateReplies()))).append("</td><td>").append(leftOut).append("</td></tr>\n");
                }
            }
        }
        h.append("<table><tr><th class=\"l\">id</th><th>faults injected</th><th>site failures</th><th>late replies</th><th>sites left out</th>"
                + "<th>rounds without a model</th></tr>\n");
        perConfig.forEach((id, t) -> h.append("<tr><td class=\"l\">").append(id).append("</td><td>").append(t[0]).append("</td><td>").append(t[1])
                .append("</td><td>").append(t[2]).append("</td><td>").append(t[3]).append("</td><td>").append(t[4]).append("</td></tr>\n"));
        h.append("</table>\n");
        if (total == 0) return;
        h.append("<p class=\"note\">Every round with a fault, in short (the full texts are in rounds.csv) (").append(total).append(total > MAX_FAULT_ROWS ? ", the first " + MAX_FAULT_ROWS + " shown; all are in rounds.csv" : "")
                .append("):</p>\n<table><tr><th class=\"l\">id</th><th>seed</th><th>round</th><th class=\"l\">injected</th>"
                        + "<th class=\"l\">status (coordinator)</th><th class=\"l\">failures</th>"
                        + "<th class=\"l\">late replies</th><th>left out</th></tr>\n").append(rows).append("</table>\n");
    }

    /** "C: dropout (connection cut …)" → "C: dropout" (the whole line is in rounds.csv). */
    static String shortInjected(String line) {
        int paren = line.indexOf(" (");
        return paren < 0 ? line : line.substring(0, paren);
    }

    /** A round's status up to its first detail (the whole text is in rounds.csv). */
    static String shortStatus(String status) {
        int paren = status.indexOf(" (");
        String s = paren < 0 ? status : status.substring(0, paren);
        int colon = s.indexOf(": ", s.indexOf(": ") + 2);
        if (colon > 0) s = s.substring(0, colon);
        return s.length() > 80 ? s.substring(0, 79) + "…" : s;
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th class=\"l\">").append(k).append("</th><td class=\"l\">").append(v).append("</td></tr>\n");
    }

    /** {@code mean ± sd}, or the value alone when one seed gave it (an sd of 0 would suggest agreement). */
    private static String pm(MeanSd s, String metric) {
        if (s == null) return "";
        if (metric.equals("rounds_aggregated")) return String.format(Locale.ROOT, "%.1f", s.mean());
        if (metric.equals("wall_seconds"))
            return s.n() == 1 ? String.format(Locale.ROOT, "%.1f", s.mean()) : String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.sd());
        return s.n() == 1 ? String.format(Locale.ROOT, "%.4f", s.mean()) : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd());
    }

    private static String bytes(MeanSd s) {
        if (s == null) return "";
        double v = s.mean();
        return v >= 10 << 20 ? String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20))
                : v >= 10 << 10 ? String.format(Locale.ROOT, "%.1f KiB", v / (1 << 10)) : String.format(Locale.ROOT, "%.0f B", v);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Versions for provenance, from the jars' Maven metadata (absent when running from unpackaged classes). */
    static Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("fedehr", pomVersion("org.fedehr", "fedehr-simulations", "unknown (not run from a packaged jar)"));
        out.put("Java", System.getProperty("java.vendor", "") + " " + System.getProperty("java.version", "?"));
        out.put("OS", System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        out.put("Deeplearning4j", pomVersion("org.deeplearning4j", "deeplearning4j-nn", "?"));
        out.put("ND4J", pomVersion("org.nd4j", "nd4j-native", "?"));
        out.put("Vert.x", pomVersion("io.vertx", "vertx-core", "?"));
        out.put("XChart", pomVersion("org.knowm.xchart", "xchart", "?"));
        return out;
    }

    private static String pomVersion(String group, String artifact, String dflt) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = GridReport.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) return dflt;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", dflt);
        } catch (IOException e) {
            return dflt;
        }
    }
}

package org.fedehr.cli.audit;

import org.fedehr.protocol.audit.AuditEvent;
import org.fedehr.protocol.audit.AuditKind;
import org.fedehr.protocol.audit.AuditVerifier;
import org.fedehr.protocol.pki.FederationTrust;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code index.html} and its plots for a privacy officer: the verification result first, then per site what left
 * it (kind, when, to whom, how large, payload hash prefix) under which policy checks and filters, the privacy budget
 * over time, bytes sent per round and refusals with their reasons. Self-contained: open it in any browser.
 */
final class AuditReport {
    static final String BUDGET_PNG = "privacy-budget.png";
    static final String BYTES_PNG = "bytes-per-round.png";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd (EEEE) 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final AuditCommand.Verification v;
    /** per site: what left it, and from whose ledger we know it */
    private final Map<String, List<AuditEvent>> outgoing = new TreeMap<>();
    private final Map<String, Integer> received = new TreeMap<>();
    private final Map<String, String> source = new TreeMap<>();

    AuditReport(AuditCommand.Verification v) {
        this.v = v;
        for (AuditVerifier.Result r : v.results()) {
            if (r.party() == null || AuditEvent.COORDINATOR.equals(r.party())) continue;
            outgoing.put(r.party(), r.events().stream().filter(e -> e.direction() == AuditEvent.Direction.SENT).toList());
            received.put(r.party(), (int) r.events().stream().filter(e -> e.direction() == AuditEvent.Direction.RECEIVED).count());
            source.put(r.party(), "the site's own ledger");
        }
        if (v.coordinator() != null) {
            Map<String, List<AuditEvent>> fromCoord = new TreeMap<>();
            for (AuditEvent e : v.coordinator().events())
                if (e.direction() == AuditEvent.Direction.RECEIVED) fromCoord.computeIfAbsent(e.peer(), k -> new ArrayList<>()).add(e);
            for (var en : fromCoord.entrySet()) {
                if (outgoing.containsKey(en.getKey())) continue;
                outgoing.put(en.getKey(), en.getValue());
                source.put(en.getKey(), "the coordinator's ledger (no ledger of this site was given)");
            }
        }
    }

    Path write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        boolean budget = budgetChart(dir.resolve(BUDGET_PNG));
        boolean bytes = bytesChart(dir.resolve(BYTES_PNG));
        Path index = dir.resolve("index.html");
        Files.writeString(index, html(budget, bytes), StandardCharsets.UTF_8);
        return index;
    }

    // ------------------------------------------------------------------ plots

    private boolean budgetChart(Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(380).title("Privacy budget spent over time (cumulative epsilon)")
                .xAxisTitle("time (UTC)").yAxisTitle("epsilon spent in total").build();
        style(c.getStyler());
        c.getStyler().setDatePattern("HH:mm:ss");
        c.getStyler().setYAxisMin(0.0);
        boolean any = false;
        for (var en : outgoing.entrySet()) {
            List<Date> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (AuditEvent e : en.getValue()) {
                if (e.epsilonTotal() == null) continue;
                xs.add(Date.from(e.instant()));
                ys.add(e.epsilonTotal());
            }
            if (xs.isEmpty()) continue;
            XYSeries s = c.addSeries(en.getKey(), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        else Files.deleteIfExists(png);
        return any;
    }

    private boolean bytesChart(Path png) throws IOException {
        TreeSet<Integer> rounds = new TreeSet<>();
        Map<String, Map<Integer, Long>> perSite = new TreeMap<>();
        for (var en : outgoing.entrySet()) {
            Map<Integer, Long> m = new TreeMap<>();
            for (AuditEvent e : en.getValue()) {
                if (e.round() == null) continue;
                m.merge(e.round(), e.bytes(), Long::sum);
                rounds.add(e.round());
            }
            if (!m.isEmpty()) perSite.put(en.getKey(), m);
        }
        if (rounds.isEmpty()) {
            Files.deleteIfExists(png);
            return false;
        }
        long max = perSite.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).max().orElse(0);
        double unit = max >= 10L << 20 ? 1 << 20 : max >= 10L << 10 ? 1 << 10 : 1;
        String unitName = unit == 1 << 20 ? "MiB" : unit == 1 << 10 ? "KiB" : "bytes";
        CategoryChart c = new CategoryChartBuilder().width(900).height(380).title("Bytes sent per round, by site (0 = statistics phase)")
                .xAxisTitle("round").yAxisTitle(unitName + " sent").build();
        style(c.getStyler());
        c.getStyler().setOverlapped(false);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setXAxisLabelRotation(rounds.size() > 25 ? 90 : 0);
        List<Integer> xs = new ArrayList<>(rounds);
        for (var en : perSite.entrySet()) {
            List<Double> ys = xs.stream().map(r -> en.getValue().getOrDefault(r, 0L) / unit).toList();
            c.addSeries(en.getKey(), xs, ys);
        }
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(java.awt.Color.WHITE);
        s.setAntiAlias(true);
    }

    // ------------------------------------------------------------------ page

    private String html(boolean budgetPlot, boolean bytesPlot) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String runs = v.results().stream().map(AuditVerifier.Result::runId).filter(java.util.Objects::nonNull).distinct()
                .collect(Collectors.joining(", "));
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fedehr audit report</title>\n<style>\n")
                .append("body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}\n")
                .append("h1{font-size:24px;margin-bottom:4px} h2{font-size:20px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}\n")
                .append("h3{font-size:16px;margin-top:20px} .muted{color:#666;font-size:13px}\n")
                .append(".banner{padding:12px 16px;border-radius:6px;font-size:17px;font-weight:600}\n")
                .append(".ok{background:#e6f4ea;border:1px solid #34a853;color:#1e6b34} .bad{background:#fce8e6;border:1px solid #d93025;color:#a50e0e}\n")
                .append(".warn{background:#fef7e0;border:1px solid #f9ab00;color:#8a5a00}\n")
                .append("table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0} th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}\n")
                .append("th{background:#f3f3f3} td.num{text-align:right;white-space:nowrap} code{font-size:12px} .nw{white-space:nowrap}\n")
                .append("td.small{font-size:12px;color:#444} tr.roundrow td{background:#eef3fb;font-weight:600}\n")
                .append("tr.refusal td{background:#fff4e5}\n")
                .append("table.banner-t{margin:16px 0} table.banner-t td{border:none} img{max-width:100%;border:1px solid #eee}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Audit report: what left each site</h1>\n<div class=\"muted\">run ").append(esc(runs.isEmpty() ? "?" : runs))
                .append(" &middot; ").append(v.results().size()).append(" ledger(s) &middot; generated ")
                .append(WHEN.format(Instant.now())).append(" by <code>fedehr audit report</code></div>\n");
        verification(h);
        h.append("<p>Each site and the coordinator keep an append-only ledger of every message they exchanged. Every entry is"
                + " chained to the previous one by a SHA-256 hash and signed with the party's federation certificate, so an"
                + " edited, inserted, deleted or reordered entry, or a cut-off end, is detected above. The ledgers record only"
                + " sizes, hashes, model digests, privacy-filter settings, the privacy budget and which policy checks passed:"
                + " <b>never patient-level values</b>.</p>\n");
        summary(h);
        h.append("<h2>Privacy budget over time</h2>\n");
        if (budgetPlot) h.append("<img src=\"").append(BUDGET_PNG).append("\" alt=\"privacy budget spent over time per site\">\n")
                .append("<p class=\"muted\">Cumulative differential-privacy epsilon each site reports having spent, after each message it sent."
                        + " Lower is more private; a site refuses to send once its own budget limit would be exceeded.</p>\n");
        else h.append("<p>No message carried a differential-privacy budget (no DP noise filter was recorded).</p>\n");
        h.append("<h2>Bytes sent per round</h2>\n");
        if (bytesPlot) h.append("<img src=\"").append(BYTES_PNG).append("\" alt=\"bytes sent per round per site\">\n")
                .append("<p class=\"muted\">Total size of everything each site sent in each round (statistics, key adverts, shares,"
                        + " masked updates, metrics). Rounds of a site should look alike; an outlier deserves a look.</p>\n");
        else h.append("<p>No message sent by a site was tied to a round.</p>\n");
        refusals(h);
        for (var en : outgoing.entrySet()) site(h, en.getKey(), en.getValue());
        h.append("<h2>How to read the columns</h2>\n<ul class=\"muted\">\n")
                .append("<li><b>payload SHA-256</b>: fingerprint of the exact bytes sent; the coordinator's ledger must show the same fingerprint"
                        + " for the same message (cross-check).</li>\n")
                .append("<li><b>filters</b>: privacy filters the site applied before sending (e.g. clipping range, noise, secure"
                        + " aggregation threshold); <b>policy checks</b>: the site's own rules the request passed.</li>\n")
                .append("<li><b>cohort</b>: the sites whose masked updates are only ever revealed to the coordinator as a sum.</li>\n")
                .append("<li>Verify the ledgers yourself: <code>fedehr audit verify --ca ca.crt LOG...</code></li>\n</ul>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private void verification(StringBuilder h) {
        boolean ok = v.ok();
        if (ok && v.caChecked())
            h.append("<table class=\"banner-t\"><tr><td class=\"banner ok\" bgcolor=\"#e6f4ea\">&#10004; Verified: all ").append(v.results().size())
                    .append(" ledgers are intact, signed by certificates of the federation CA, and sealed")
                    .append(v.crossChecks().isEmpty() ? "" : "; every site ledger matches the coordinator's").append(".</td></tr></table>\n");
        else if (ok)
            h.append("<table class=\"banner-t\"><tr><td class=\"banner warn\" bgcolor=\"#fef7e0\">&#9888; Intact and sealed")
                    .append(v.crossChecks().isEmpty() ? "" : ", cross-checks OK")
                    .append(", but the signing certificates were NOT checked against the federation CA (run with <code>--ca ca.crt</code>).</td></tr></table>\n");
        else h.append("<table class=\"banner-t\"><tr><td class=\"banner bad\" bgcolor=\"#fce8e6\">&#10008; VERIFICATION FAILED: do not rely on the figures below for the ledgers marked FAILED.</td></tr></table>\n");
        h.append("<table><tr><th>ledger</th><th>party</th><th>entries</th><th>result</th><th>signed by</th></tr>\n");
        for (AuditVerifier.Result r : v.results()) {
            h.append("<tr><td><code>").append(esc(r.file().getFileName().toString())).append("</code></td><td>").append(esc(r.party()))
                    .append("</td><td class=\"num\">").append(r.entries()).append("</td><td>")
                    .append(r.ok() ? "<b style=\"color:#1e6b34\">OK</b> sealed" : "<b style=\"color:#a50e0e\">FAILED</b> " + esc(r.problem().toString()))
                    .append("</td><td>").append(r.certificate() == null ? "?" : esc(FederationTrust.describe(r.certificate())))
                    .append(r.caChecked() ? " &#10004; CA" : "").append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (v.coordinator() == null) h.append("<p class=\"muted\">No coordinator ledger was given: no cross-check.</p>\n");
        for (AuditCommand.CrossCheck c : v.crossChecks()) {
            h.append("<div>").append(c.ok() ? "<b style=\"color:#1e6b34\">OK</b> " : "<b style=\"color:#a50e0e\">FAILED</b> ")
                    .append(esc(c.summary())).append("</div>\n");
            if (!c.mismatches().isEmpty()) {
                h.append("<ul>");
                for (AuditVerifier.Mismatch m : c.mismatches()) h.append("<li>").append(esc(m.toString())).append("</li>");
                h.append("</ul>\n");
            }
        }
    }

    private void summary(StringBuilder h) {
        h.append("<h2>Summary per site</h2>\n<table><tr><th>site</th><th>messages sent</th><th>bytes sent</th><th>messages received</th>"
                + "<th>first &ndash; last sent</th><th>epsilon spent (total)</th><th>refusals</th><th>known from</th></tr>\n");
        for (var en : outgoing.entrySet()) {
            List<AuditEvent> es = en.getValue();
            long bytes = es.stream().mapToLong(AuditEvent::bytes).sum();
            Double eps = es.stream().map(AuditEvent::epsilonTotal).filter(java.util.Objects::nonNull).reduce((a, b) -> b).orElse(null);
            long refusals = es.stream().filter(e -> e.kind() == AuditKind.REFUSAL).count();
            h.append("<tr><td><a href=\"#site-").append(esc(en.getKey())).append("\">").append(esc(en.getKey())).append("</a></td><td class=\"num\">")
                    .append(es.size()).append("</td><td class=\"num\">").append(size(bytes)).append("</td><td class=\"num\">")
                    .append(received.containsKey(en.getKey()) ? String.valueOf(received.get(en.getKey())) : "&ndash;").append("</td><td>")
                    .append(es.isEmpty() ? "&ndash;" : "<span class=\"nw\">" + WHEN.format(es.get(0).instant()) + "</span> &ndash; <span class=\"nw\">"
                            + WHEN.format(es.get(es.size() - 1).instant()) + "</span>")
                    .append("</td><td class=\"num\">").append(eps == null ? "not recorded" : fmt(eps)).append("</td><td class=\"num\">")
                    .append(refusals).append("</td><td class=\"muted\">").append(esc(source.get(en.getKey()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private void refusals(StringBuilder h) {
        h.append("<h2>Refusals</h2>\n");
        List<AuditEvent> all = outgoing.values().stream().flatMap(List::stream).filter(e -> e.kind() == AuditKind.REFUSAL)
                .sorted(java.util.Comparator.comparing(AuditEvent::time)).toList();
        if (all.isEmpty()) {
            h.append("<p>No site refused a request.</p>\n");
            return;
        }
        h.append("<table><tr><th>when</th><th>site</th><th>round</th><th>reason</th><th>policy checks passed</th></tr>\n");
        for (AuditEvent e : all)
            h.append("<tr class=\"refusal\"><td class=\"nw\">").append(WHEN.format(e.instant())).append("</td><td>").append(esc(e.party()))
                    .append("</td><td class=\"num\">").append(e.round() == null ? "" : e.round()).append("</td><td>")
                    .append(esc(e.note() == null ? "(no reason recorded)" : e.note())).append("</td><td>")
                    .append(esc(String.join(", ", e.policyChecks()))).append("</td></tr>\n");
        h.append("</table>\n");
    }

    private void site(StringBuilder h, String site, List<AuditEvent> es) {
        h.append("<h2 id=\"site-").append(esc(site)).append("\">What left ").append(esc(site)).append("</h2>\n")
                .append("<p class=\"muted\">").append(es.size()).append(" message(s), known from ").append(esc(source.get(site))).append(".</p>\n");
        if (es.isEmpty()) return;
        h.append("<table><tr><th>#</th><th>time</th><th>what</th><th>to</th><th>size</th><th>payload SHA-256</th>"
                + "<th>filters</th><th>policy checks passed</th><th>epsilon round / total</th><th>cohort</th><th>note</th></tr>\n");
        Integer shownRound = -1;
        String shownDay = null;
        for (AuditEvent e : es) {
            String day = DAY.format(e.instant());
            if (!java.util.Objects.equals(e.round(), shownRound) || !day.equals(shownDay)) {
                h.append("<tr class=\"roundrow\"><td colspan=\"11\">").append(e.round() == null ? "not tied to a round"
                        : e.round() == 0 ? "Round 0 (statistics phase)" : "Round " + e.round()).append(" &middot; ").append(day).append("</td></tr>\n");
                shownRound = e.round();
                shownDay = day;
            }
            h.append(e.kind() == AuditKind.REFUSAL ? "<tr class=\"refusal\">" : "<tr>")
                    .append("<td class=\"num\">").append(e.seq()).append("</td><td class=\"nw\">").append(TIME.format(e.instant()))
                    .append("</td><td>").append(esc(label(e.kind()))).append("</td><td>").append(esc(e.peer()))
                    .append("</td><td class=\"num\">").append(size(e.bytes()))
                    .append("</td><td><code title=\"").append(e.payloadSha256()).append("\">").append(e.payloadSha256(), 0, 12)
                    .append("&hellip;</code></td><td>").append(esc(filters(e.filters()))).append("</td><td class=\"small\">")
                    .append(esc(String.join(", ", e.policyChecks()))).append("</td><td class=\"num\">")
                    .append(e.epsilonRound() == null && e.epsilonTotal() == null ? "" : opt(e.epsilonRound()) + " / " + opt(e.epsilonTotal()))
                    .append("</td><td class=\"small\">").append(e.cohort() == null ? "" : esc(String.join(", ", e.cohort())))
                    .append("</td><td>").append(e.note() == null ? "" : esc(e.note())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    static String label(AuditKind k) {
        return switch (k) {
            case STATISTICS -> "aggregate statistics (counts, sums)";
            case SECAGG_KEYS -> "secure-aggregation public keys";
            case SECAGG_SHARES -> "encrypted secret shares";
            case TRAIN -> "masked model update";
            case SECAGG_UNMASK -> "unmasking shares";
            case EVALUATE -> "evaluation metrics";
            case MODEL -> "global model";
            case TASK -> "task instruction";
            case REFUSAL -> "REFUSAL";
            case ERROR -> "error reply";
            case FINISHED -> "run finished";
        };
    }

    private static String filters(Map<String, Object> f) {
        return f.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
    }

    private static String opt(Double d) {
        return d == null ? "&ndash;" : fmt(d);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3g", d);
    }

    static String size(long b) {
        if (b < 1024) return b + " B";
        if (b < 1L << 20) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        return String.format(Locale.ROOT, "%.2f MiB", b / (double) (1L << 20));
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

}

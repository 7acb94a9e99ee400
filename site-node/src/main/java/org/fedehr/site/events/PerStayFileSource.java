package org.fedehr.site.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One file per stay (PhysioNet 2012): a header, then rows of time, code and value. Leading rows whose code is one of
 * {@code stays.static_codes} are the stay's attributes (each once; a later row with such a code is an event). A
 * stay of another site is recognised from its attributes and the rest of its file is not read. Memory: one stay.
 */
final class PerStayFileSource implements EventSource {
    private final EventSiteConfig config;
    private final Path dataRoot;
    private final EventSiteConfig.Table table;

    private final int maxFiles;

    PerStayFileSource(EventSiteConfig config, Path dataRoot, int maxFiles) {
        this.config = config;
        this.maxFiles = maxFiles;
        this.dataRoot = dataRoot;
        EventSiteConfig.Table t = null;
        for (EventSiteConfig.Table x : config.tables()) if (x.perStay()) t = x;
        if (t == null || config.tables().size() != 1)
            throw new EventDataException(config.file() + ": events: a per-stay-file site needs exactly one table with files: per_stay");
        if (t.codeSet() != null || !t.wide().isEmpty())
            throw new EventDataException(config.file() + ": events: the per-stay table must be long (code and value columns)");
        this.table = t;
    }

    @Override
    public EventDictionary dictionary() {
        return config.dictionary();
    }

    @Override
    public void forEachStay(HarmonisationReport report, Consumer<StayEvents> consumer) {
        List<Path> files = EventSources.glob(dataRoot, config.stays().perStayFiles(), config.file().getFileName() + ": stays.per_stay_files");
        Map<String, Integer> labels = EventSources.labels(config, dataRoot);
        RowHarmonizer h = new RowHarmonizer(config, report, labels);
        Set<String> staticCodes = new HashSet<>(config.stays().staticCodes());
        if (files.size() > maxFiles) files = files.subList(0, maxFiles);
        for (Path f : files) readStay(f, staticCodes, h, report, consumer);
    }

    private void readStay(Path f, Set<String> staticCodes, RowHarmonizer h, HarmonisationReport report, Consumer<StayEvents> consumer) {
        try (BufferedReader r = EventSources.open(f, 8192)) {
            String head = r.readLine();
            if (head == null) throw new EventDataException(f.getFileName() + ": empty file (expected a header line)");
            String[] header = CsvLine.split(head, ',');
            int ti = EventSources.column(header, table.timeColumn(), f, "events.time.column");
            int ci = EventSources.column(header, table.codeColumn(), f, "events.code");
            int vi = EventSources.column(header, table.valueColumn(), f, "events.value");
            int ui = table.unitColumn() == null ? -1 : EventSources.column(header, table.unitColumn(), f, "events.unit");
            int width = Math.max(Math.max(ti, ci), Math.max(vi, ui)) + 1;
            report.stayRead();
            Map<String, String> attrs = new HashMap<>();
            StayEvents stay = null;
            java.util.ArrayList<Object[]> pending = new java.util.ArrayList<>();   // rows read before the stay is known
            String line;
            long n = 1;
            String[] cells = new String[header.length];
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isEmpty()) continue;
                int k = splitSimple(line, cells);
                if (k < width) {
                    h.malformedRow(f, n, k, header.length);
                    continue;
                }
                report.row();
                String code = cells[ci];
                double minute = table.timeFormat().parse(cells[ti]);
                if (stay == null) {
                    boolean completing = false;
                    // the stay's attributes are the rows at time 0 with a static code (first occurrence), wherever they are
                    if (minute == 0 && staticCodes.contains(code) && !attrs.containsKey(code)) {
                        attrs.put(code, cells[vi]);
                        if (attrs.size() < staticCodes.size()) continue;
                        completing = true;
                    } else if (!(minute > 0)) {
                        pending.add(new Object[]{cells.clone(), n, minute});
                        continue;
                    }
                    stay = start(f, attrs, h, report, n);
                    if (stay == null) return;        // another site's stay: the rest is not read
                    for (Object[] p : pending) event(stay, h, f, (String[]) p[0], (Long) p[1], (Double) p[2], ti, ci, vi, ui);
                    pending = null;
                    if (completing) continue;   // the row that completed the attributes is not an event
                }
                event(stay, h, f, cells, n, minute, ti, ci, vi, ui);
            }
            if (stay == null) {
                stay = start(f, attrs, h, report, n);
                if (stay == null) return;
                for (Object[] p : pending) event(stay, h, f, (String[]) p[0], (Long) p[1], (Double) p[2], ti, ci, vi, ui);
            }
            if (!EventSources.anchor(config, stay, attrs)) {
                report.stayDropped(HarmonisationReport.StayDrop.NO_ANCHOR);
                return;
            }
            consumer.accept(stay);
        } catch (IOException e) {
            throw new EventDataException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private void event(StayEvents stay, RowHarmonizer h, Path f, String[] cells, long n, double minute, int ti, int ci, int vi, int ui) {
        if (Double.isNaN(minute)) {
            h.invalidTime(f, n, table.timeColumn());
            return;
        }
        h.numeric(stay, table.name(), cells[ci], cells[vi], ui < 0 ? null : cells[ui], minute, f, n, table.valueColumn(),
                ui < 0 ? "unit" : table.unitColumn());
    }

    private StayEvents start(Path f, Map<String, String> attrs, RowHarmonizer h, HarmonisationReport report, long line) {
        if (!h.included(attrs)) {
            report.stayExcluded();
            return null;
        }
        String id = config.stays().id() == null ? null : attrs.get(config.stays().id());
        if (id == null || id.isBlank()) {
            String name = f.getFileName().toString();
            int dot = name.indexOf('.');
            id = dot > 0 ? name.substring(0, dot) : name;
        }
        StayEvents stay = new StayEvents(id.trim(), config.dictionary());
        h.statics(stay, attrs, f, line);
        return stay;
    }

    /** Splits on commas without quotes into {@code out}; returns the number of fields (extra fields ignored). */
    private static int splitSimple(String line, String[] out) {
        if (line.indexOf('"') >= 0) {
            String[] c = CsvLine.split(line, ',');
            int k = Math.min(c.length, out.length);
            System.arraycopy(c, 0, out, 0, k);
            return c.length;
        }
        int k = 0, start = 0;
        for (int i = 0; i < line.length() && k < out.length; i++) {
            if (line.charAt(i) == ',') {
                out[k++] = line.substring(start, i);
                start = i + 1;
            }
        }
        if (k < out.length) out[k++] = line.substring(start);
        return k;
    }
}

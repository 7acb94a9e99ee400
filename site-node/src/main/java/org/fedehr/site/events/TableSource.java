package org.fedehr.site.events;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Stays from a stay table (one row per stay) and events from any number of long or wide tables (csv or csv.gz) that
 * need not be grouped or sorted by stay (eICU, Synthea). Every table is streamed once; each row is harmonised as it
 * is read and written, compactly, to one of P temporary spill partitions chosen by the stay id's hash
 * (P = input size / {@code spill_partition_mb}); then each partition in turn is loaded, grouped by stay and handed
 * out stay by stay (ordered by id within a partition). Memory is bounded by one partition, the lookup tables and the
 * set of stay ids (tens of bytes per stay). Rows of other sites' stays are skipped unread; rows whose stay is not in
 * the stay table are dropped and counted ({@code UNKNOWN_STAY}, with the first file and line).
 */
final class TableSource implements EventSource {
    private static final byte STAY = 0, NUMERIC = 2, CODE = 3;

    private final EventSiteConfig config;
    private final Path dataRoot;

    TableSource(EventSiteConfig config, Path dataRoot) {
        this.config = config;
        this.dataRoot = dataRoot;
        for (EventSiteConfig.Table t : config.tables())
            if (t.perStay()) throw new EventDataException(config.file() + ": events: files: per_stay needs stays.per_stay_files");
    }

    @Override
    public EventDictionary dictionary() {
        return config.dictionary();
    }

    @Override
    public void forEachStay(HarmonisationReport report, Consumer<StayEvents> consumer) {
        String what = config.file().getFileName().toString();
        List<Path> stayFiles = EventSources.glob(dataRoot, config.stays().table(), what + ": stays.table");
        Map<EventSiteConfig.Table, List<Path>> tableFiles = new java.util.LinkedHashMap<>();
        long bytes = 0;
        for (Path p : stayFiles) bytes += size(p);
        for (EventSiteConfig.Table t : config.tables()) {
            List<Path> fs = EventSources.glob(dataRoot, t.files(), what + ": events " + t.name() + ".files");
            tableFiles.put(t, fs);
            for (Path p : fs) bytes += size(p);
        }
        int partitions = (int) Math.max(1, Math.min(4096, bytes / (config.spillPartitionMb() * 1024L * 1024L) + 1));
        Map<String, Integer> labels = EventSources.labels(config, dataRoot);
        RowHarmonizer h = new RowHarmonizer(config, report, labels);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fedehr-spill");
            DataOutputStream[] out = new DataOutputStream[partitions];
            for (int i = 0; i < partitions; i++)
                out[i] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve("p" + i)), 1 << 15));
            Map<String, Boolean> members = new HashMap<>();   // stay id -> of this site (tens of bytes per stay)
            spillStays(stayFiles, h, report, out, members);
            for (Map.Entry<EventSiteConfig.Table, List<Path>> e : tableFiles.entrySet())
                for (Path f : e.getValue()) spillEvents(e.getKey(), f, h, report, out, members);
            for (DataOutputStream o : out) o.close();
            for (int i = 0; i < partitions; i++) group(dir.resolve("p" + i), h, report, consumer);
        } catch (IOException e) {
            throw new UncheckedIOException("spill files: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteAll(dir);
        }
    }

    private static long size(Path p) {
        try {
            long s = Files.size(p);
            return p.getFileName().toString().endsWith(".gz") ? 8 * s : s;
        } catch (IOException e) {
            return 0;
        }
    }

    private static int partition(String id, int n) {
        return Math.floorMod(id.hashCode(), n);
    }

    private void spillStays(List<Path> files, RowHarmonizer h, HarmonisationReport report, DataOutputStream[] out,
                            Map<String, Boolean> members) throws IOException {
        EventSiteConfig.Stays s = config.stays();
        List<Map<String, String>> lookups = new ArrayList<>();
        for (EventSiteConfig.Lookup l : s.lookups()) lookups.add(EventSources.lookup(l, dataRoot));
        Set<String> needed = new HashSet<>();
        for (EventSiteConfig.StaticMapping sm : config.statics()) needed.add(sm.attribute());
        if (config.label().file() == null) needed.add(config.label().column());
        if (config.anchor().attribute() != null) needed.add(config.anchor().attribute());
        for (Path f : files) {
            try (BufferedReader r = EventSources.open(f)) {
                String head = r.readLine();
                if (head == null) throw new EventDataException(f.getFileName() + ": empty stay table (expected a header line)");
                String[] header = CsvLine.split(head, ',');
                int id = EventSources.column(header, s.id(), f, "stays.id");
                Map<String, Integer> cols = new HashMap<>();
                for (int i = 0; i < header.length; i++) cols.put(header[i].trim(), i);
                for (EventSiteConfig.Lookup l : s.lookups())
                    if (!cols.containsKey(l.via())) throw new EventDataException(f.getFileName() + " line 1: no column '" + l.via() + "' (config key stays.lookups.via)");
                String line;
                long n = 1;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) continue;
                    String[] c = CsvLine.split(line, ',');
                    if (c.length != header.length)
                        throw new EventDataException(f.getFileName() + " line " + n + ": expected " + header.length + " fields, found " + c.length);
                    String sid = c[id].trim();
                    if (sid.isEmpty()) throw new EventDataException(f.getFileName() + " line " + n + ": field " + s.id() + ": empty stay id");
                    report.stayRead();
                    Map<String, String> attrs = new TreeMap<>();
                    for (int i = 0; i < header.length; i++) attrs.put(header[i].trim(), c[i]);
                    for (int i = 0; i < s.lookups().size(); i++) {
                        EventSiteConfig.Lookup l = s.lookups().get(i);
                        String v = lookups.get(i).get(attrs.get(l.via()).trim());
                        attrs.put(l.name(), v == null ? "" : v);
                    }
                    DataOutputStream o = out[partition(sid, out.length)];
                    if (members.containsKey(sid))
                        throw new EventDataException(f.getFileName() + " line " + n + ": field " + s.id() + ": stay id occurs twice in the stay table");
                    boolean mine = h.included(attrs);
                    members.put(sid, mine);
                    if (!mine) {
                        report.stayExcluded();
                        continue;
                    }
                    o.writeByte(STAY);
                    o.writeUTF(sid);
                    o.writeUTF(f.getFileName().toString());
                    o.writeLong(n);
                    List<String> keep = new ArrayList<>();
                    for (String k : needed) if (attrs.containsKey(k)) keep.add(k);
                    o.writeShort(keep.size());
                    for (String k : keep) {
                        o.writeUTF(k);
                        o.writeUTF(attrs.get(k));
                    }
                }
            }
        }
    }

    private void spillEvents(EventSiteConfig.Table t, Path f, RowHarmonizer h, HarmonisationReport report, DataOutputStream[] out,
                             Map<String, Boolean> members) throws IOException {
        int codeSet = t.codeSet() == null ? -1 : config.dictionary().codeSetIndex(t.codeSet());
        StayEvents scratch = new StayEvents("spill", config.dictionary());
        try (BufferedReader r = EventSources.open(f)) {
            String head = r.readLine();
            if (head == null) throw new EventDataException(f.getFileName() + ": empty table (expected a header line)");
            String[] header = CsvLine.split(head, ',');
            int id = EventSources.column(header, t.idColumn(), f, "events.id");
            int ti = EventSources.column(header, t.timeColumn(), f, "events.time.column");
            int ci = t.codeColumn() == null ? -1 : EventSources.column(header, t.codeColumn(), f, "events.code");
            int vi = t.valueColumn() == null ? -1 : EventSources.column(header, t.valueColumn(), f, "events.value");
            int ui = t.unitColumn() == null ? -1 : EventSources.column(header, t.unitColumn(), f, "events.unit");
            int[] wi = new int[t.wide().size()];
            for (int i = 0; i < wi.length; i++) wi[i] = EventSources.column(header, t.wide().get(i).column(), f, "events.wide.column");
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String[] c = CsvLine.split(line, ',');
                if (c.length != header.length) {
                    h.malformedRow(f, n, c.length, header.length);     // fail: error naming file and line; drop: counted
                    continue;
                }
                String sid = c[id].trim();
                Boolean mine = members.get(sid);
                if (mine == null) {
                    report.row();
                    report.invalid(HarmonisationReport.Drop.UNKNOWN_STAY, RowHarmonizer.where(f, n, t.idColumn()));
                    continue;
                }
                if (!mine) continue;                      // another site's stay
                report.row();
                double minute = t.timeFormat().parse(c[ti]);
                if (Double.isNaN(minute)) {
                    h.invalidTime(f, n, t.timeColumn());
                    continue;
                }
                DataOutputStream o = out[partition(sid, out.length)];
                if (codeSet >= 0) {
                    String code = h.code(t, c[ci]);
                    if (code == null) continue;
                    o.writeByte(CODE);
                    o.writeUTF(sid);
                    o.writeShort(codeSet);
                    o.writeDouble(minute);
                    o.writeUTF(code);
                    continue;
                }
                int before = scratch.size();
                if (wi.length > 0) {
                    for (int i = 0; i < wi.length; i++)
                        h.numeric(scratch, t.name(), t.wide().get(i).code(), c[wi[i]].trim(), null, minute, f, n,
                                t.wide().get(i).column(), "unit");
                } else {
                    h.numeric(scratch, t.name(), c[ci].trim(), c[vi].trim(), ui < 0 ? null : c[ui].trim(), minute, f, n,
                            t.valueColumn(), ui < 0 ? "unit" : t.unitColumn());
                }
                for (int i = before; i < scratch.size(); i++) {
                    o.writeByte(NUMERIC);
                    o.writeUTF(sid);
                    o.writeShort(scratch.concept(i));
                    o.writeDouble(scratch.minute(i));
                    o.writeDouble(scratch.value(i));
                }
                if (scratch.size() > 4096) scratch = new StayEvents("spill", config.dictionary());
            }
        }
    }

    /** Loads one partition, groups it by stay and emits its stays in id order. */
    private void group(Path part, RowHarmonizer h, HarmonisationReport report, Consumer<StayEvents> consumer) throws IOException {
        TreeMap<String, StayEvents> stays = new TreeMap<>();
        Map<String, Map<String, String>> attrs = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(part), 1 << 15))) {
            while (true) {
                byte kind;
                try {
                    kind = in.readByte();
                } catch (EOFException e) {
                    break;
                }
                String sid = in.readUTF();
                switch (kind) {
                    case STAY -> {
                        String file = in.readUTF();
                        long line = in.readLong();
                        int k = in.readShort();
                        Map<String, String> a = new HashMap<>();
                        for (int i = 0; i < k; i++) a.put(in.readUTF(), in.readUTF());
                        attrs.put(sid, a);
                        where.put(sid, file + "\u0000" + line);
                        stays.computeIfAbsent(sid, x -> new StayEvents(x, config.dictionary()));
                    }
                    case NUMERIC -> {
                        int c = in.readShort();
                        double m = in.readDouble(), v = in.readDouble();
                        stays.computeIfAbsent(sid, x -> new StayEvents(x, config.dictionary())).add(c, m, v);
                    }
                    case CODE -> {
                        int s = in.readShort();
                        double m = in.readDouble();
                        String code = in.readUTF();
                        stays.computeIfAbsent(sid, x -> new StayEvents(x, config.dictionary())).addCode(s, m, code);
                    }
                    default -> throw new IOException("corrupt spill record " + kind);
                }
            }
        }
        for (Map.Entry<String, StayEvents> e : stays.entrySet()) {
            String sid = e.getKey();
            StayEvents stay = e.getValue();
            Map<String, String> a = attrs.get(sid);
            if (a == null) throw new IllegalStateException("spill partition holds events of stay without its stay record");
            String[] w = where.get(sid).split("\u0000");
            h.statics(stay, a, Path.of(w[0]), Long.parseLong(w[1]));
            if (!EventSources.anchor(config, stay, a)) {
                report.stayDropped(HarmonisationReport.StayDrop.NO_ANCHOR);
                continue;
            }
            consumer.accept(stay);
        }
    }

    private static void deleteAll(Path dir) {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // temporary files: best effort
        }
    }
}

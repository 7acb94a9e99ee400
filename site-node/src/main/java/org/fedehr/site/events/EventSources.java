package org.fedehr.site.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Opens the {@link EventSource} a site config describes, and the file helpers the readers share. */
public final class EventSources {
    private EventSources() {
    }

    /** The source of a site config, its data files relative to {@code dataRoot}. */
    public static EventSource open(EventSiteConfig config, Path dataRoot) {
        return open(config, dataRoot, Integer.MAX_VALUE);
    }

    /**
     * As {@link #open(EventSiteConfig, Path)}, reading only the first {@code maxStayFiles} stay files (in name order)
     * of a one-file-per-stay source (benchmarks; refused for table sources, whose stays are not files).
     */
    public static EventSource open(EventSiteConfig config, Path dataRoot, int maxStayFiles) {
        if (maxStayFiles < 1) throw new IllegalArgumentException("maxStayFiles must be >= 1, was " + maxStayFiles);
        if (config.source() != null) {
            if (maxStayFiles != Integer.MAX_VALUE)
                throw new IllegalArgumentException(config.file() + ": a stay limit needs a one-file-per-stay source (stays.per_stay_files)");
            return new FhirEventSource(config, dataRoot);
        }
        if (config.stays().perStay()) return new PerStayFileSource(config, dataRoot, maxStayFiles);
        if (maxStayFiles != Integer.MAX_VALUE)
            throw new IllegalArgumentException(config.file() + ": a stay limit needs a one-file-per-stay source (stays.per_stay_files)");
        return new TableSource(config, dataRoot);
    }

    /** Files matching a glob relative to the data root (the directory part is literal), sorted by name. */
    static List<Path> glob(Path dataRoot, String pattern, String what) {
        String p = pattern.replace('\\', '/');
        int slash = p.lastIndexOf('/');
        Path dir = slash < 0 ? dataRoot : dataRoot.resolve(p.substring(0, slash));
        String name = slash < 0 ? p : p.substring(slash + 1);
        if (!Files.isDirectory(dir))
            throw new EventDataException(what + ": directory " + dir + " not found (data root " + dataRoot + ")");
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> m.matches(f.getFileName()) && Files.isRegularFile(f)).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new EventDataException(what + ": cannot list " + dir + " (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) throw new EventDataException(what + ": no file matches " + pattern + " under " + dataRoot);
        return out;
    }

    static BufferedReader open(Path file) throws IOException {
        return open(file, 1 << 16);
    }

    /** A UTF-8 reader over a plain or gzipped file, with a char buffer of {@code buffer} (small for small files). */
    static BufferedReader open(Path file, int buffer) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), buffer);
    }

    static int column(String[] header, String name, Path file, String key) {
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals(name)) return i;
        throw new EventDataException(file.getFileName() + " line 1: no column '" + name + "' (config key " + key + ")");
    }

    /** Labels from a separate outcomes file: id → 0/1, -1 when the value is neither positive nor negative. */
    static Map<String, Integer> labels(EventSiteConfig config, Path dataRoot) {
        EventSiteConfig.Label l = config.label();
        Map<String, Integer> out = new HashMap<>();
        if (l.file() == null) return out;
        Path f = dataRoot.resolve(l.file());
        if (!java.nio.file.Files.isRegularFile(f))
            throw new EventDataException(config.file().getFileName() + ": label.file: " + f + " not found (relative to the data root "
                    + dataRoot + "; set FEDEHR_DATA or --data-root to the folder that holds it)");
        try (BufferedReader r = open(f)) {
            String h = r.readLine();
            if (h == null) throw new EventDataException(f.getFileName() + ": empty label file");
            String[] header = CsvLine.split(h, ',');
            int id = column(header, l.idColumn(), f, "label.id"), col = column(header, l.column(), f, "label.column");
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                String[] c = CsvLine.split(line, ',');
                if (c.length <= Math.max(id, col))
                    throw new EventDataException(f.getFileName() + " line " + n + ": expected " + header.length + " fields, found " + c.length);
                out.put(c[id].trim(), RowHarmonizer.labelOf(l, c[col]));
            }
        } catch (IOException e) {
            throw new EventDataException(f + ": cannot read label file (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Lookup tables (small, held in memory): key value → looked-up value. */
    static Map<String, String> lookup(EventSiteConfig.Lookup l, Path dataRoot) {
        Path f = dataRoot.resolve(l.file());
        Map<String, String> out = new HashMap<>();
        try (BufferedReader r = open(f)) {
            String h = r.readLine();
            if (h == null) throw new EventDataException(f.getFileName() + ": empty lookup file");
            String[] header = CsvLine.split(h, ',');
            int k = column(header, l.key(), f, "stays.lookups.key"), v = column(header, l.column(), f, "stays.lookups.column");
            String line;
            while ((line = r.readLine()) != null) {
                String[] c = CsvLine.split(line, ',');
                if (c.length > Math.max(k, v)) out.put(c[k].trim(), c[v].trim());
            }
        } catch (IOException e) {
            throw new EventDataException(f + ": cannot read lookup file (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Applies the anchor to a stay read with the table's times; false when the anchor is missing. */
    static boolean anchor(EventSiteConfig config, StayEvents stay, Map<String, String> attrs) {
        EventSiteConfig.Anchor a = config.anchor();
        switch (a.kind()) {
            case EventSiteConfig.Anchor.OFFSETS -> {
                return true;
            }
            case EventSiteConfig.Anchor.FIRST_EVENT -> {
                double first = stay.firstMinute();
                if (Double.isNaN(first)) return true;   // no events: dropped as such later
                stay.shift(first);
                return true;
            }
            case EventSiteConfig.Anchor.LAST_EVENT -> {
                double last = stay.lastMinute();
                if (Double.isNaN(last)) return true;
                int bin = config.dictionary().binMinutes();
                // the last event falls into the last bin: anchor = (last event's bin start) - (window - one bin)
                stay.shift(Math.floor(last / bin) * bin - (config.dictionary().windowMinutes() - bin));
                return true;
            }
            default -> {
                double t = TimeFormat.ISO.parse(attrs.get(a.attribute()));
                if (Double.isNaN(t)) return false;
                stay.shift(t);
                return true;
            }
        }
    }
}

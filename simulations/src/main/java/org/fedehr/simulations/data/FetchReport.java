package org.fedehr.simulations.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Outcome of {@link DataFetcher#fetchHeartDisease(Path)}: one entry per UCI file, plus notes for the user.
 *
 * @param directory the directory the files were placed in ({@code targetDir/heart_disease})
 * @param files     one entry per file, in the fixed centre order (cleveland, hungarian, switzerland, va)
 * @param notes     human-readable remarks (e.g. that FLamby's split file is not downloaded)
 */
public record FetchReport(Path directory, List<FileEntry> files, List<String> notes) {

    public FetchReport {
        Objects.requireNonNull(directory, "directory");
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /** What happened to one file. */
    public enum Status {
        /** Fetched over HTTP and verified. */
        DOWNLOADED,
        /** Already present with the expected MD5; no request made. */
        PRESENT;

        /** Lower-case name, as shown to users ({@code downloaded} / {@code present}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param name  file name, e.g. {@code processed.cleveland.data}
     * @param bytes file size in bytes
     * @param md5   lower-case hex MD5 of the file (equal to the expected one)
     * @param status downloaded or present
     */
    public record FileEntry(String name, long bytes, String md5, Status status) {
        public FileEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(md5, "md5");
            Objects.requireNonNull(status, "status");
        }
    }

    /** Number of files that were actually downloaded. */
    public long downloadedCount() {
        return files.stream().filter(f -> f.status() == Status.DOWNLOADED).count();
    }

    /** Multi-line, human-readable summary. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("heart-disease data in ").append(directory).append('\n');
        for (FileEntry f : files) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-28s %8d bytes  md5 %s  %s%n",
                    f.name(), f.bytes(), f.md5(), f.status().label()));
        }
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }
}

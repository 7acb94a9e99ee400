package org.fedehr.site.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What happened to every data line of a site's file (aggregates only, no patient-level values):
 * {@code linesRead = blankLines + rowsKept + dropped + excludedNotInSplit} and {@code rowsKept = trainRows + testRows}.
 *
 * @param file               data file name
 * @param linesRead          data lines in the file (the header line, if any, is not counted)
 * @param blankLines         empty lines, skipped
 * @param rowsKept           rows in train or test
 * @param droppedByReason    invalid rows skipped under {@code on_invalid_row: drop}, by reason
 * @param excludedNotInSplit valid rows whose line is not listed for this site in the split file
 * @param trainRows          rows in the training set
 * @param testRows           rows in the test set
 * @param missingByFeature   missing values per dictionary feature among the kept rows
 */
public record ReadReport(String file, long linesRead, long blankLines, long rowsKept, Map<DataProblem, Long> droppedByReason,
                         long excludedNotInSplit, long trainRows, long testRows, SortedMap<String, Long> missingByFeature) {
    public ReadReport {
        EnumMap<DataProblem, Long> dropped = new EnumMap<>(DataProblem.class);
        if (droppedByReason != null) dropped.putAll(droppedByReason);
        droppedByReason = Collections.unmodifiableMap(dropped);
        missingByFeature = Collections.unmodifiableSortedMap(new TreeMap<>(missingByFeature == null ? Map.of() : missingByFeature));
        long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
        if (linesRead != blankLines + rowsKept + droppedTotal + excludedNotInSplit)
            throw new IllegalArgumentException("linesRead must equal blank + kept + dropped + excluded, was " + linesRead + " vs "
                    + blankLines + " + " + rowsKept + " + " + droppedTotal + " + " + excludedNotInSplit);
        if (rowsKept != trainRows + testRows)
            throw new IllegalArgumentException("rowsKept must equal train + test, was " + rowsKept + " vs " + trainRows + " + " + testRows);
    }

    /** Total rows dropped as invalid. */
    public long rowsDropped() {
        return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One line for the site's log, counts only (never a value):
     * {@code 172 training rows, 88 test rows; 2 dropped (not a number: 1, label missing: 1); 43 not in the split}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(trainRows).append(" training rows, ").append(testRows)
                .append(" test rows; ").append(rowsDropped()).append(" dropped");
        StringJoiner reasons = new StringJoiner(", ", " (", ")");
        droppedByReason.forEach((reason, n) -> {
            if (n > 0) reasons.add(reason.label() + ": " + n);
        });
        if (rowsDropped() > 0) sb.append(reasons);
        if (excludedNotInSplit > 0) sb.append("; ").append(excludedNotInSplit).append(" not in the split");
        return sb.toString();
    }

    /** Rows dropped for this reason (0 if none). */
    public long dropped(DataProblem reason) {
        return droppedByReason.getOrDefault(reason, 0L);
    }
}

package org.fedehr.site.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How a time column is written; every format parses to minutes (offsets) or epoch minutes (timestamps). */
public enum TimeFormat {
    /** {@code HH:MM} elapsed since the anchor (PhysioNet 2012); hours may exceed 23. */
    HH_MM(true),
    /** Minutes since the anchor, a number (eICU offsets). */
    MINUTES(true),
    /** Hours since the anchor, a number. */
    HOURS(true),
    /** ISO-8601 timestamp: {@code 2012-03-04T18:53:42Z}, {@code 2012-03-04 18:53:42} (UTC) or a date. */
    ISO(false);

    private final boolean offset;

    TimeFormat(boolean offset) {
        this.offset = offset;
    }

    /** True when values are offsets from the anchor, false for absolute timestamps. */
    public boolean isOffset() {
        return offset;
    }

    public static TimeFormat parseName(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("time format must be one of hh_mm, minutes, hours, iso; was '" + s + "'");
        }
    }

    /** Minutes; NaN when the text does not parse. */
    public double parse(String s) {
        if (s == null) return Double.NaN;
        s = s.trim();
        if (s.isEmpty()) return Double.NaN;
        switch (this) {
            case HH_MM -> {
                int colon = s.indexOf(':');
                if (colon <= 0 || colon == s.length() - 1) return Double.NaN;
                boolean neg = s.charAt(0) == '-';
                int h = digits(s, neg ? 1 : 0, colon), m = digits(s, colon + 1, s.length());
                if (h < 0 || m < 0 || m > 59) return Double.NaN;
                double v = h * 60.0 + m;
                return neg ? -v : v;
            }
            case MINUTES, HOURS -> {
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
                if (!Double.isFinite(v)) return Double.NaN;
                return this == HOURS ? v * 60 : v;
            }
            default -> {
                try {
                    if (s.length() == 10) return LocalDate.parse(s).toEpochDay() * 1440.0;
                    if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$"))
                        return Instant.parse(s.replace(' ', 'T')).getEpochSecond() / 60.0;
                    return LocalDateTime.parse(s.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC) / 60.0;
                } catch (DateTimeParseException e) {
                    return Double.NaN;
                }
            }
        }
    }

    private static int digits(String s, int from, int to) {
        if (from >= to) return -1;
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
            if (v > 10_000_000) return -1;
        }
        return v;
    }
}

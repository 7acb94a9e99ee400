package org.fedehr.site.data;

import java.math.BigDecimal;
import java.util.Optional;

/** Canonical forms of raw cell text. */
final class Values {
    private Values() {
    }

    /**
     * The shortest plain decimal form of a finite number ("4.0" → "4", ".50" → "0.5", "-0" → "0"), or empty if
     * the text is not a plain decimal number (NaN, Infinity, hex and type suffixes are rejected).
     */
    static Optional<String> canonicalNumber(String text) {
        String t = text.trim();
        if (t.isEmpty()) return Optional.empty();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(Character.isDigit(c) && c < 128) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
                return Optional.empty();
        }
        try {
            BigDecimal d = new BigDecimal(t);
            if (!Double.isFinite(d.doubleValue())) return Optional.empty();
            if (d.signum() == 0) return Optional.of("0");
            return Optional.of(d.stripTrailingZeros().toPlainString());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Categorical canonical form: numeric-looking values become their shortest decimal form, others are trimmed. */
    static String canonicalCategory(String text) {
        return canonicalNumber(text).orElse(text.trim());
    }
}

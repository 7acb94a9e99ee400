package org.fedehr.site.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binary label: row is positive when {@code column <op> threshold}, e.g. {@code num > 0}. For survival data,
 * {@code timeColumn} names the column holding the time to event or censoring; the rule then gives the event indicator
 * (e.g. {@code E == 1}). {@code timeColumn} is null for a plain binary label.
 */
public record LabelRule(String column, Comparison op, double threshold, String timeColumn) {

    /** A binary label without survival time. */
    public LabelRule(String column, Comparison op, double threshold) {
        this(column, op, threshold, null);
    }

    /** The same rule with a survival-time column (null: none). */
    public LabelRule withTimeColumn(String time) {
        return new LabelRule(column, op, threshold, time);
    }

    /** Whether the label is survival data (time column and event rule). */
    public boolean survival() {
        return timeColumn != null;
    }

    /** Comparison operators allowed in {@code positive_if}. */
    public enum Comparison {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean test(double a, double b) {
            return switch (this) {
                case GT -> a > b;
                case GE -> a >= b;
                case LT -> a < b;
                case LE -> a <= b;
                case EQ -> a == b;
                case NE -> a != b;
            };
        }
    }

    private static final Pattern RULE = Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*([-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?)\\s*");

    public LabelRule {
        if (column == null || column.isBlank()) throw new IllegalArgumentException("column must not be blank, was '" + column + "'");
        if (op == null) throw new IllegalArgumentException("op must not be null");
        if (!Double.isFinite(threshold)) throw new IllegalArgumentException("threshold must be finite, was " + threshold);
        if (timeColumn != null && (timeColumn.isBlank() || timeColumn.equals(column)))
            throw new IllegalArgumentException("timeColumn must be a column other than the event column '" + column + "', was '" + timeColumn + "'");
    }

    /** Parses {@code "> 0"}; throws IllegalArgumentException naming the text when it does not match. */
    public static LabelRule parse(String column, String positiveIf) {
        Matcher m = positiveIf == null ? null : RULE.matcher(positiveIf);
        if (m == null || !m.matches())
            throw new IllegalArgumentException("expected '<op> <number>' with op one of > >= < <= == !=, found '" + positiveIf + "'");
        Comparison op = null;
        for (Comparison c : Comparison.values()) if (c.symbol.equals(m.group(1))) op = c;
        return new LabelRule(column, op, Double.parseDouble(m.group(2)));
    }

    /** 1 when the raw label value satisfies the rule, else 0. */
    public float apply(double value) {
        return op.test(value, threshold) ? 1f : 0f;
    }
}

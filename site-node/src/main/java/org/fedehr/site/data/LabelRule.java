package org.fedehr.site.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The binary label: row is positive when {@code column <op> threshold}, e.g. {@code num > 0}. */
public record LabelRule(String column, Comparison op, double threshold) {

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

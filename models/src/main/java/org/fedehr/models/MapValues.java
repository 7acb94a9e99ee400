package org.fedehr.models;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small helpers that read typed values out of loosely typed configuration maps (as produced by
 * Jackson, SnakeYAML or Commons Configuration). Every failure is an {@link IllegalArgumentException}
 * naming the key and the offending value; these maps hold configuration, never patient data.
 */
final class MapValues {

    private MapValues() {
    }

    /** Rejects keys outside {@code allowed}, so that a misspelt key never silently falls back to a default. */
    static void requireKnownKeys(Map<String, ?> m, Set<String> allowed, String what) {
        Set<String> unknown = new TreeSet<>();
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    what + ": unknown key(s) " + unknown + "; allowed keys are " + new TreeSet<>(allowed));
        }
    }

    static String string(Map<String, ?> m, String key, String dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException(key + " is required");
            }
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(key + " must be a string, got " + describe(v));
        }
        return s;
    }

    static int integer(Map<String, ?> m, String key, Integer dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException(key + " is required");
            }
            return dflt;
        }
        return toInt(key, v);
    }

    static double real(Map<String, ?> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, got " + describe(v), e);
            }
        }
        throw new IllegalArgumentException(key + " must be a number, got " + describe(v));
    }

    static List<Integer> integers(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof int[] arr) {
            List<Integer> out = new ArrayList<>(arr.length);
            for (int i : arr) {
                out.add(i);
            }
            return out;
        }
        if (!(v instanceof Collection<?> c)) {
            throw new IllegalArgumentException(key + " must be a list of integers, got " + describe(v));
        }
        List<Integer> out = new ArrayList<>(c.size());
        int i = 0;
        for (Object e : c) {
            if (e == null) {
                throw new IllegalArgumentException(key + "[" + i + "] must be an integer, got null");
            }
            out.add(toInt(key + "[" + i + "]", e));
            i++;
        }
        return out;
    }

    private static int toInt(String key, Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " is out of int range: " + l);
            }
            return (int) l;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " must be an integer, got " + describe(v));
            }
            return (int) d;
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an integer, got " + describe(v), e);
            }
        }
        throw new IllegalArgumentException(key + " must be an integer, got " + describe(v));
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        if (s.length() > 80) {
            s = s.substring(0, 80) + "...";
        }
        return (v instanceof String ? "\"" + s + "\"" : s) + " (" + v.getClass().getSimpleName() + ")";
    }
}

package org.fedehr.protocol.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of a configuration key in a YAML text, for error messages: Apache Commons Configuration keeps no
 * line numbers, so the text is composed again (SnakeYAML node tree with positions) and the key's path is followed
 * from the root. Paths use the form of our messages: {@code federation.rounds}, {@code sites[2]},
 * {@code data.columns[3].type}. When the tree cannot be followed (not composable, aliases) the text is scanned for the
 * last segment as a mapping key ({@code ^\s*(-\s*)?key\s*:} or {@code {... key: ...}}), preferring an occurrence
 * whose enclosing keys are the path's parents; a key that is absent from the file has no line.
 */
public final class YamlLines {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]()]+)((?:[\\[(]\\d+[\\])])*)");
    private static final Pattern INDEX = Pattern.compile("[\\[(](\\d+)[\\])]");

    private final List<String> lines;
    private final Node root;          // null when the text could not be composed
    private final boolean composed;

    private YamlLines(String text) {
        this.lines = text.lines().toList();
        Node r = null;
        boolean ok;
        try {
            r = new org.yaml.snakeyaml.Yaml(new LoaderOptions()).compose(new StringReader(text));
            ok = true;
        } catch (RuntimeException e) {
            ok = false;
        }
        this.root = r;
        this.composed = ok;
    }

    /** Line lookup over a YAML text. */
    public static YamlLines of(String text) {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        return new YamlLines(text);
    }

    /** Line lookup over a YAML file; a file that cannot be read gives a lookup that never finds a line. */
    public static YamlLines of(Path file) {
        try {
            return new YamlLines(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new YamlLines("");
        }
    }

    /** {@code "<source> line <n>"} when the key's line is known, else {@code source} alone. */
    public String locate(String source, String path) {
        OptionalInt n = line(path);
        return n.isPresent() ? source + " line " + n.getAsInt() : source;
    }

    /** 1-based line of the key (or list entry) named by {@code path}, if it occurs in the text. */
    public OptionalInt line(String path) {
        List<Segment> segments = parse(path);
        if (segments.isEmpty()) return OptionalInt.empty();
        if (composed && root != null && !usesAliases(root, 0)) return follow(segments);
        return scan(segments);
    }

    private record Segment(String key, List<Integer> indices) {
    }

    private static List<Segment> parse(String path) {
        List<Segment> out = new ArrayList<>();
        if (path == null) return out;
        for (String part : path.split("\\.")) {
            Matcher m = SEGMENT.matcher(part.trim());
            if (!m.matches()) return List.of();
            List<Integer> idx = new ArrayList<>();
            Matcher i = INDEX.matcher(m.group(2));
            while (i.find()) idx.add(Integer.parseInt(i.group(1)));
            out.add(new Segment(m.group(1), idx));
        }
        return out;
    }

    /** Follows the path through the node tree; the line of the last key (or of the last list entry). */
    private OptionalInt follow(List<Segment> segments) {
        Node node = root;
        int line = -1;
        for (Segment s : segments) {
            if (!(node instanceof MappingNode m)) return OptionalInt.empty();
            NodeTuple found = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(s.key())) found = t;  // last wins, as in the loader
            }
            if (found == null) return OptionalInt.empty();
            line = found.getKeyNode().getStartMark().getLine();
            node = found.getValueNode();
            for (int i : s.indices()) {
                if (node instanceof SequenceNode seq) {
                    if (i >= seq.getValue().size()) return OptionalInt.empty();
                    node = seq.getValue().get(i);
                    line = node.getStartMark().getLine();
                } else if (i != 0) {
                    return OptionalInt.empty();      // a single value is a one-element list
                }
            }
        }
        return OptionalInt.of(line + 1);
    }

    private static boolean usesAliases(Node n, int depth) {
        if (depth > 64) return true;
        if (n instanceof MappingNode m) {
            if (m.isMerged()) return true;
            for (NodeTuple t : m.getValue()) if (usesAliases(t.getKeyNode(), depth + 1) || usesAliases(t.getValueNode(), depth + 1)) return true;
        } else if (n instanceof SequenceNode s) {
            for (Node c : s.getValue()) if (usesAliases(c, depth + 1)) return true;
        }
        return false;
    }

    /** Text scan for the last segment as a mapping key; prefers the occurrence with the most matching parents. */
    private OptionalInt scan(List<Segment> segments) {
        String key = Pattern.quote(segments.get(segments.size() - 1).key());
        Pattern block = Pattern.compile("^(\\s*)(-\\s+)*[\"']?" + key + "[\"']?\\s*:(\\s|$)");
        Pattern flow = Pattern.compile("[{,]\\s*[\"']?" + key + "[\"']?\\s*:(\\s|$)");
        int best = -1, bestScore = -1;
        for (int i = 0; i < lines.size(); i++) {
            String text = stripComment(lines.get(i));
            Matcher b = block.matcher(text);
            Matcher f = flow.matcher(text);
            int column;
            if (b.find()) column = b.end(1) + (b.group(2) == null ? 0 : countListIndent(text, b.end(1)));
            else if (f.find()) column = text.length() + 1;   // inside a flow mapping: enclosed by this line's key
            else continue;
            int score = parentScore(segments, i, column);
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best + 1);
    }

    private static int countListIndent(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == ' ')) i++;
        return i - from;
    }

    /** How many of the path's parents, innermost first, are the enclosing block keys of the line. */
    private int parentScore(List<Segment> segments, int lineIndex, int column) {
        List<String> enclosing = new ArrayList<>();
        String own = stripComment(lines.get(lineIndex));
        Matcher ownKey = Pattern.compile("^(\\s*)(?:-\\s+)*([^\\s:{}\\[\\],#-][^:{}\\[\\],#]*?)\\s*:").matcher(own);
        if (column > own.length() && ownKey.find()) {     // flow occurrence: its line's key encloses it
            enclosing.add(ownKey.group(2).trim());
            column = ownKey.end(1);
        }
        for (int j = lineIndex - 1; j >= 0 && column > 0; j--) {
            String t = stripComment(lines.get(j));
            if (t.isBlank()) continue;
            Matcher m = Pattern.compile("^(\\s*)((?:-\\s+)*)([^\\s:{}\\[\\],#][^:{}\\[\\],#]*?)\\s*:").matcher(t);
            int indent = t.length() - t.stripLeading().length();
            if (indent >= column) continue;
            if (m.find()) {
                enclosing.add(m.group(3).trim());
                column = m.end(1);
            } else {
                column = indent;
            }
        }
        int score = 0;
        for (int k = segments.size() - 2, e = 0; k >= 0 && e < enclosing.size(); k--, e++) {
            if (!segments.get(k).key().equals(enclosing.get(e))) break;
            score++;
        }
        return score;
    }

    private static String stripComment(String line) {
        boolean single = false, dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) return line.substring(0, i);
        }
        return line;
    }
}

package dev.assay.artifacts.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The license allow / deny policy ({@code assay.artifacts.licenses.deny} and {@code .allow}) applied
 * to SBOM components. Licenses are SPDX ids, names or SPDX license expressions, evaluated as the
 * expression means it: {@code A OR B} breaks a deny rule only when both A and B are denied (the
 * recipient may choose), {@code A AND B} when either is; {@code X WITH exception} is judged by X.
 * A component listing several licenses is bound by all of them. An empty allow list allows
 * everything not denied.
 */
public final class LicensePolicy {

    public static final String DENY = "deny";
    public static final String NOT_ALLOWED = "not-allowed";

    private final Set<String> deny;
    private final Set<String> allow;

    public LicensePolicy(List<String> deny, List<String> allow) {
        this.deny = normalise(deny);
        this.allow = normalise(allow);
    }

    /** A broken rule: which rule, and the licenses that broke it. */
    public record Violation(String rule, List<String> offending) {
    }

    public Optional<Violation> evaluate(List<String> licenses) {
        if (licenses == null || licenses.isEmpty()) {
            return Optional.empty();
        }
        Set<String> offending = new LinkedHashSet<>();
        for (String license : licenses) {
            Node node = parse(license);
            if (node.fails(deny::contains, offending)) {
                return Optional.of(new Violation(DENY, List.copyOf(offending)));
            }
        }
        if (!allow.isEmpty()) {
            for (String license : licenses) {
                Node node = parse(license);
                if (node.fails(id -> !allow.contains(id), offending)) {
                    return Optional.of(new Violation(NOT_ALLOWED, List.copyOf(offending)));
                }
            }
        }
        return Optional.empty();
    }

    public Set<String> denied() {
        return deny;
    }

    public Set<String> allowed() {
        return allow;
    }

    private static Set<String> normalise(List<String> ids) {
        Set<String> set = new TreeSet<>();
        if (ids != null) {
            ids.stream().filter(id -> id != null && !id.isBlank()).map(id -> id.trim().toLowerCase(Locale.ROOT)).forEach(set::add);
        }
        return set;
    }

    private interface Rule {
        boolean breaks(String normalisedId);
    }

    /** A parsed SPDX license expression. */
    private interface Node {
        /** Whether the expression cannot be satisfied without a license the rule forbids; collects those. */
        boolean fails(Rule rule, Set<String> offending);
    }

    private record Leaf(String id) implements Node {
        @Override
        public boolean fails(Rule rule, Set<String> offending) {
            boolean breaks = rule.breaks(id.toLowerCase(Locale.ROOT));
            if (breaks) {
                offending.add(id);
            }
            return breaks;
        }
    }

    private record Any(List<Node> alternatives) implements Node {
        @Override
        public boolean fails(Rule rule, Set<String> offending) {
            Set<String> found = new LinkedHashSet<>();
            for (Node node : alternatives) {
                if (!node.fails(rule, found)) {
                    return false;
                }
            }
            offending.addAll(found);
            return true;
        }
    }

    private record All(List<Node> parts) implements Node {
        @Override
        public boolean fails(Rule rule, Set<String> offending) {
            boolean fails = false;
            for (Node node : parts) {
                fails |= node.fails(rule, offending);
            }
            return fails;
        }
    }

    /**
     * Parses an SPDX expression; text that is not one (a free-text license name such as "Some random
     * license") is one opaque license, compared as written.
     */
    static Node parse(String text) {
        String trimmed = text.trim();
        try {
            List<String> tokens = tokenize(trimmed);
            Parser parser = new Parser(tokens);
            Node node = parser.or();
            if (parser.position != tokens.size()) {
                return new Leaf(trimmed);
            }
            return node;
        } catch (IllegalArgumentException e) {
            return new Leaf(trimmed);
        }
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '('
                        && text.charAt(i) != ')') {
                    char d = text.charAt(i);
                    if (!(Character.isLetterOrDigit(d) || d == '.' || d == '-' || d == '+' || d == ':')) {
                        throw new IllegalArgumentException("not an SPDX expression");
                    }
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return tokens;
    }

    private static final class Parser {
        private final List<String> tokens;
        private int position;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        Node or() {
            List<Node> alternatives = new ArrayList<>(List.of(and()));
            while (peekIs("OR")) {
                position++;
                alternatives.add(and());
            }
            return alternatives.size() == 1 ? alternatives.get(0) : new Any(alternatives);
        }

        Node and() {
            List<Node> parts = new ArrayList<>(List.of(with()));
            while (peekIs("AND")) {
                position++;
                parts.add(with());
            }
            return parts.size() == 1 ? parts.get(0) : new All(parts);
        }

        Node with() {
            Node license = primary();
            if (peekIs("WITH")) {
                position++;
                identifier(); // the exception does not change which license applies
            }
            return license;
        }

        Node primary() {
            if (position < tokens.size() && tokens.get(position).equals("(")) {
                position++;
                Node inner = or();
                if (position >= tokens.size() || !tokens.get(position).equals(")")) {
                    throw new IllegalArgumentException("unbalanced parentheses");
                }
                position++;
                return inner;
            }
            return new Leaf(identifier());
        }

        String identifier() {
            if (position >= tokens.size()) {
                throw new IllegalArgumentException("expression ends early");
            }
            String token = tokens.get(position);
            if (token.equals("(") || token.equals(")") || isOperator(token)) {
                throw new IllegalArgumentException("expected a license id");
            }
            position++;
            return token;
        }

        boolean peekIs(String operator) {
            return position < tokens.size() && tokens.get(position).equalsIgnoreCase(operator);
        }

        static boolean isOperator(String token) {
            return token.equalsIgnoreCase("AND") || token.equalsIgnoreCase("OR") || token.equalsIgnoreCase("WITH");
        }
    }
}

package dev.assay.catalog.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.assay.collect.RecordRejectedException;

/**
 * Parses GitHub CODEOWNERS syntax: one rule a line, a gitignore-style pattern then owners
 * ({@code @user}, {@code @org/team} or an e-mail address); {@code #} starts a comment; later rules
 * win. A line with a pattern and no owners is valid (it removes ownership of those paths).
 */
public class CodeownersParser {

    private static final Pattern USER = Pattern.compile("@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern TEAM = Pattern.compile("@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public CodeownersFile parse(String content, String repository) throws RecordRejectedException {
        List<CodeownersFile.Rule> rules = new ArrayList<>();
        String[] lines = content.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            String pattern = tokens[0];
            List<String> owners = new ArrayList<>();
            for (int t = 1; t < tokens.length; t++) {
                String owner = tokens[t];
                if (!USER.matcher(owner).matches() && !TEAM.matcher(owner).matches() && !EMAIL.matcher(owner).matches()) {
                    throw new RecordRejectedException("line " + (i + 1) + ": '" + owner
                            + "' is not an owner (@user, @org/team or an e-mail address)");
                }
                owners.add(owner);
            }
            rules.add(new CodeownersFile.Rule(pattern, List.copyOf(owners)));
        }
        List<String> defaults = List.of();
        for (CodeownersFile.Rule rule : rules) {
            if (rule.pattern().equals("*") || rule.pattern().equals("/*") || rule.pattern().equals("/**")) {
                defaults = rule.owners();
            }
        }
        String team = defaults.stream().filter(o -> TEAM.matcher(o).matches()).findFirst()
                .map(o -> o.substring(o.indexOf('/') + 1).toLowerCase(Locale.ROOT)).orElse(null);
        return new CodeownersFile(repository, List.copyOf(rules), defaults, team);
    }

    /** A '#' starts a comment unless escaped ({@code \#}), as in gitignore. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) != '\\')) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}

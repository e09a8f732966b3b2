package dev.assay.catalog.internal;

import java.util.List;

/**
 * A parsed CODEOWNERS file of one repository.
 *
 * @param defaultOwners the owners of the last {@code *} rule: who owns the repository as a whole
 * @param defaultTeam   the first team ({@code @org/team}) among them, as a catalog team name, or null
 */
public record CodeownersFile(String repository, List<Rule> rules, List<String> defaultOwners, String defaultTeam) {

    public record Rule(String pattern, List<String> owners) {
    }
}

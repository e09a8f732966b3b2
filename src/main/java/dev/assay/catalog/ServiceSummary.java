package dev.assay.catalog;

import java.util.List;

/**
 * A service as the catalog knows it.
 *
 * @param declaredOwner  spec.owner as written in the catalog (a team name, or {@code user:name})
 * @param owningTeam     the team that owns it: the declared owner if that team exists, else the team
 *                       CODEOWNERS names for its repository; null when neither resolves
 * @param ownerEvidence  {@code catalog}, {@code codeowners} or null
 * @param escalationContact the catalog's contact or on-call rotation, else the one set in Assay
 * @param owned          counts as owned for ownership coverage: an owning team and an escalation contact
 */
public record ServiceSummary(String name, String title, String description, String componentType, Integer tier,
        String lifecycle, String declaredOwner, String owningTeam, String ownerEvidence, String system,
        String escalationContact, boolean owned, List<String> sourceRepositories, List<String> artifactRepositories,
        String sourceId) {

    /** Libraries are built into services, not operated: they have no on-call and are outside ownership coverage. */
    public boolean operated() {
        return !"library".equalsIgnoreCase(componentType);
    }
}

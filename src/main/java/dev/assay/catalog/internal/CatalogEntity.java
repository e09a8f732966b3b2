package dev.assay.catalog.internal;

import java.util.List;
import java.util.Map;

/** A Backstage catalog entity, validated and normalised (names lower-cased, refs resolved to names). */
public sealed interface CatalogEntity {

    String name();

    /** kind: Component. {@code links} maps a link kind (github, pagerduty, oci, ...) to its values. */
    record ComponentEntity(String name, String title, String description, String type, Integer tier, String lifecycle,
            String owner, String system, String escalationContact, Map<String, List<String>> links) implements CatalogEntity {
    }

    /** kind: Group. */
    record GroupEntity(String name, String title, String description, String parent, String email,
            List<String> members) implements CatalogEntity {
    }

    /** kind: User. */
    record UserEntity(String name, String displayName, String email, List<String> memberOf) implements CatalogEntity {
    }

    /** kind: System. */
    record SystemEntity(String name, String title, String description, String owner) implements CatalogEntity {
    }

    /** A valid entity of a kind Assay does not use (API, Resource, Domain, Location, Template). */
    record OtherEntity(String kind, String name) implements CatalogEntity {
    }
}

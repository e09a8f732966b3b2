package dev.assay.catalog;

/** A team's name and display title (null when it has none): what a filter list or a table heading needs. */
public record TeamName(String name, String title) {

    /** The title, or the name when the team has no title. */
    public String label() {
        return title == null || title.isBlank() ? name : title;
    }
}

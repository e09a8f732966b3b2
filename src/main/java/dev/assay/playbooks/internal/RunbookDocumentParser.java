package dev.assay.playbooks.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.node.BulletList;
import org.commonmark.node.Heading;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.renderer.text.TextContentRenderer;
import org.springframework.stereotype.Component;

import dev.assay.playbooks.InvalidRunbookException;
import dev.assay.playbooks.RunbookContent;
import dev.assay.playbooks.RunbookContent.ChecklistStep;
import dev.assay.playbooks.RunbookContent.CommunicationTemplate;
import dev.assay.playbooks.RunbookContent.EscalationContact;
import dev.assay.playbooks.RunbookContent.Role;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses a runbook file: YAML front matter between {@code ---} lines, then a markdown body. The
 * schema is in docs/playbooks.md. Everything in it is untrusted: every field is checked for type,
 * length and shape, an unknown key is refused (a typo such as {@code step:} would otherwise lose
 * the checklist silently), and the reason says exactly what to fix.
 */
@Component
public class RunbookDocumentParser {

    /** Larger documents are refused: a runbook is read by people under stress, not a data dump. */
    public static final int MAX_DOCUMENT_CHARS = 256 * 1024;
    static final int MAX_FRONT_MATTER_CHARS = 64 * 1024;
    static final int DEFAULT_REVIEW_INTERVAL_DAYS = 90;

    /** Lower-case slug with at least one letter, so it can never be mistaken for a numeric id in a URL. */
    static final Pattern SLUG = Pattern.compile("(?=[a-z0-9-]*[a-z])[a-z0-9]+(-[a-z0-9]+)*");
    /** Catalog names (metadata.name, lower-cased by the catalog import). */
    static final Pattern CATALOG_NAME = Pattern.compile("[a-z0-9]+([-_.][a-z0-9]+)*");
    static final Pattern INCIDENT_TYPE = Pattern.compile("[a-z0-9]+([-_][a-z0-9]+)*");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]{0,59})\\}");
    private static final Pattern TOP_LEVEL_KEY = Pattern.compile("(?m)^([A-Za-z_][A-Za-z0-9_-]*)\\s*:");
    private static final Pattern TASK_ITEM = Pattern.compile("^\\[( |x|X)\\]\\s+(.+)$", Pattern.DOTALL);
    private static final Pattern TRAILING_PARENTHESES = Pattern.compile("^(.*?)\\s*\\(([^()]*)\\)\\s*$", Pattern.DOTALL);
    private static final Pattern MINUTES = Pattern.compile("(\\d{1,4})\\s*(?:min|mins|minute|minutes)");
    private static final Set<String> CHECKLIST_HEADINGS = Set.of("checklist", "steps");

    static final List<String> KEYS = List.of("runbook", "title", "services", "teams", "incident_types",
            "review_interval_days", "last_reviewed", "roles", "escalation", "templates", "steps");

    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final RunbookMarkdown markdown;

    public RunbookDocumentParser(RunbookMarkdown markdown) {
        this.markdown = markdown;
    }

    /**
     * Whether a file is a runbook: a {@code .md} file that opens with front matter naming either a
     * {@code runbook:} key, or a {@code title:} together with {@code steps:} or {@code roles:}. Other
     * markdown (a README with front matter for a static site) is left alone.
     */
    public static boolean looksLikeRunbook(String fileName, String content) {
        if (!fileName.toLowerCase(Locale.ROOT).endsWith(".md")) {
            return false;
        }
        String text = normalise(content.length() > MAX_FRONT_MATTER_CHARS + 8
                ? content.substring(0, MAX_FRONT_MATTER_CHARS + 8) : content);
        if (!text.startsWith("---\n")) {
            return false;
        }
        int end = closingLine(text);
        String frontMatter = end < 0 ? text.substring(4) : text.substring(4, end);
        Set<String> keys = new LinkedHashSet<>();
        Matcher matcher = TOP_LEVEL_KEY.matcher(frontMatter);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys.contains("runbook") || (keys.contains("title") && (keys.contains("steps") || keys.contains("roles")));
    }

    /**
     * @param fallbackSlug the slug when the front matter names none (the file name's stem, or the
     *                     slug of the runbook being edited); may be null
     * @throws InvalidRunbookException with a reason a person can act on
     */
    public RunbookContent parse(String document, String fallbackSlug) throws InvalidRunbookException {
        if (document == null || document.isBlank()) {
            throw new InvalidRunbookException("the runbook is empty");
        }
        if (document.length() > MAX_DOCUMENT_CHARS) {
            throw new InvalidRunbookException("the runbook is " + document.length() + " characters long; the limit is "
                    + MAX_DOCUMENT_CHARS);
        }
        String text = normalise(document);
        if (!text.startsWith("---\n")) {
            throw new InvalidRunbookException("the runbook must start with YAML front matter: a line '---', the fields"
                    + " (runbook, title, services, teams, ...), and a closing line '---'");
        }
        int end = closingLine(text);
        if (end < 0) {
            throw new InvalidRunbookException("the front matter is not closed: add a line '---' after its last field");
        }
        String frontMatter = text.substring(4, end);
        if (frontMatter.length() > MAX_FRONT_MATTER_CHARS) {
            throw new InvalidRunbookException("the front matter is longer than " + MAX_FRONT_MATTER_CHARS + " characters");
        }
        int bodyStart = text.indexOf('\n', end);
        String body = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
        JsonNode root;
        try {
            root = yaml.readTree(frontMatter);
        } catch (JacksonException e) {
            throw new InvalidRunbookException("the front matter is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRunbookException("the front matter must be a YAML mapping of fields (runbook, title, ...)");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new InvalidRunbookException("unknown front-matter field '" + cut(key, 60) + "'; the fields are "
                        + String.join(", ", KEYS));
            }
        }

        String slug = optionalText(root, "runbook", 100);
        if (slug == null) {
            slug = fallbackSlug;
        }
        if (slug == null) {
            throw new InvalidRunbookException("runbook (the runbook's slug) is missing");
        }
        if (!SLUG.matcher(slug).matches()) {
            throw new InvalidRunbookException("runbook '" + cut(slug, 100) + "' must be lower-case letters and digits"
                    + " separated by single dashes, with at least one letter, at most 100 characters");
        }
        if (slug.equals("new")) {
            throw new InvalidRunbookException("runbook 'new' is reserved (it is the address of the new-runbook form)");
        }
        String title = optionalText(root, "title", 300);
        if (title == null) {
            throw new InvalidRunbookException("title is missing");
        }
        List<String> services = names(root, "services", CATALOG_NAME, "a catalog service name");
        List<String> teams = names(root, "teams", CATALOG_NAME, "a catalog team name");
        if (services.isEmpty() && teams.isEmpty()) {
            throw new InvalidRunbookException("a runbook must name at least one service (services:) or team (teams:),"
                    + " so that someone owns it");
        }
        List<String> incidentTypes = names(root, "incident_types", INCIDENT_TYPE, "an incident type such as outage");
        int interval = DEFAULT_REVIEW_INTERVAL_DAYS;
        if (present(root, "review_interval_days")) {
            interval = integer(root.get("review_interval_days"), "review_interval_days", 1, 3650);
        }
        Instant lastReviewed = present(root, "last_reviewed") ? instant(root.get("last_reviewed"), "last_reviewed") : null;

        List<Role> roles = roles(root);
        List<EscalationContact> escalation = escalation(root);
        List<CommunicationTemplate> templates = templates(root);
        List<ChecklistStep> frontMatterSteps = frontMatterSteps(root);
        List<ChecklistStep> bodySteps = bodySteps(body);
        if (!frontMatterSteps.isEmpty() && !bodySteps.isEmpty()) {
            throw new InvalidRunbookException("the checklist is defined twice: as steps: in the front matter and as a task"
                    + " list under a Checklist/Steps heading; keep one");
        }
        List<ChecklistStep> steps = frontMatterSteps.isEmpty() ? bodySteps : frontMatterSteps;
        return new RunbookContent(slug, title, services, teams, incidentTypes, interval, lastReviewed, roles, escalation,
                templates, steps, body);
    }

    private static List<Role> roles(JsonNode root) throws InvalidRunbookException {
        List<Role> roles = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode item : list(root, "roles", 50)) {
            i++;
            String where = "roles[" + i + "]";
            Role role;
            if (item.isString()) {
                role = new Role(text(item, where, 200), null, null);
            } else {
                mapping(item, where, Set.of("name", "filled_by", "duties"));
                String name = optionalText(item, "name", 200);
                if (name == null) {
                    throw new InvalidRunbookException(where + ".name is missing");
                }
                role = new Role(name, optionalText(item, "filled_by", 300), optionalText(item, "duties", 2000));
            }
            if (!seen.add(role.name().toLowerCase(Locale.ROOT))) {
                throw new InvalidRunbookException("role '" + role.name() + "' is listed twice");
            }
            roles.add(role);
        }
        return roles;
    }

    private static List<EscalationContact> escalation(JsonNode root) throws InvalidRunbookException {
        List<EscalationContact> contacts = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list(root, "escalation", 20)) {
            i++;
            String where = "escalation[" + i + "]";
            if (item.isString()) {
                contacts.add(new EscalationContact(i, text(item, where, 300), null, null));
                continue;
            }
            mapping(item, where, Set.of("contact", "wait_minutes", "via"));
            String contact = optionalText(item, "contact", 300);
            if (contact == null) {
                throw new InvalidRunbookException(where + ".contact is missing");
            }
            Integer wait = present(item, "wait_minutes") ? integer(item.get("wait_minutes"), where + ".wait_minutes", 0, 10_080)
                    : null;
            contacts.add(new EscalationContact(i, contact, wait, optionalText(item, "via", 200)));
        }
        return contacts;
    }

    private static List<CommunicationTemplate> templates(JsonNode root) throws InvalidRunbookException {
        List<CommunicationTemplate> templates = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list(root, "templates", 20)) {
            i++;
            String where = "templates[" + i + "]";
            mapping(item, where, Set.of("name", "audience", "text"));
            String name = optionalText(item, "name", 200);
            if (name == null) {
                throw new InvalidRunbookException(where + ".name is missing");
            }
            String text = optionalText(item, "text", 10_000);
            if (text == null) {
                throw new InvalidRunbookException(where + ".text is missing");
            }
            templates.add(new CommunicationTemplate(name, optionalText(item, "audience", 200), text, placeholders(text)));
        }
        return templates;
    }

    private static List<ChecklistStep> frontMatterSteps(JsonNode root) throws InvalidRunbookException {
        List<ChecklistStep> steps = new ArrayList<>();
        int i = 0;
        for (JsonNode item : list(root, "steps", 200)) {
            i++;
            String where = "steps[" + i + "]";
            if (item.isString()) {
                steps.add(new ChecklistStep(i, text(item, where, 500), null, false));
                continue;
            }
            mapping(item, where, Set.of("title", "expected_minutes", "critical"));
            String title = optionalText(item, "title", 500);
            if (title == null) {
                throw new InvalidRunbookException(where + ".title is missing");
            }
            Integer expected = present(item, "expected_minutes")
                    ? integer(item.get("expected_minutes"), where + ".expected_minutes", 0, 10_080) : null;
            boolean critical = present(item, "critical") && bool(item.get("critical"), where + ".critical");
            steps.add(new ChecklistStep(i, title, expected, critical));
        }
        return steps;
    }

    /**
     * Task-list items ({@code - [ ] step}) of the lists directly under a heading named "Checklist" or
     * "Steps", up to the next heading of the same or a higher level. A trailing parenthesis such as
     * {@code (5 min, critical)} sets the expected minutes and the critical flag.
     */
    List<ChecklistStep> bodySteps(String body) throws InvalidRunbookException {
        Node document = markdown.parse(body);
        TextContentRenderer plain = TextContentRenderer.builder().build();
        List<ChecklistStep> steps = new ArrayList<>();
        int sectionLevel = 0;
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Heading heading) {
                if (sectionLevel > 0 && heading.getLevel() <= sectionLevel) {
                    sectionLevel = 0;
                }
                if (sectionLevel == 0 && isChecklistHeading(plain.render(heading))) {
                    sectionLevel = heading.getLevel();
                }
                continue;
            }
            if (sectionLevel > 0 && (node instanceof BulletList || node instanceof OrderedList)) {
                for (Node item = node.getFirstChild(); item != null; item = item.getNext()) {
                    if (item instanceof ListItem && item.getFirstChild() instanceof Paragraph paragraph) {
                        Matcher task = TASK_ITEM.matcher(plain.render(paragraph).strip());
                        if (task.matches()) {
                            if (steps.size() == 200) {
                                throw new InvalidRunbookException("the checklist has more than 200 steps");
                            }
                            steps.add(step(steps.size() + 1, task.group(2).replaceAll("\\s+", " ").strip()));
                        }
                    }
                }
            }
        }
        return steps;
    }

    private static boolean isChecklistHeading(String text) {
        String words = text.strip().toLowerCase(Locale.ROOT).replaceAll("[:.]+$", "");
        return CHECKLIST_HEADINGS.contains(words) || CHECKLIST_HEADINGS.stream().anyMatch(h -> words.startsWith(h + " "));
    }

    private static ChecklistStep step(int position, String text) throws InvalidRunbookException {
        String title = text;
        Integer expected = null;
        boolean critical = false;
        Matcher parentheses = TRAILING_PARENTHESES.matcher(text);
        if (parentheses.matches()) {
            Integer minutes = null;
            boolean isCritical = false;
            boolean annotation = true;
            for (String part : parentheses.group(2).split(",")) {
                String word = part.strip().toLowerCase(Locale.ROOT);
                Matcher m = MINUTES.matcher(word);
                if (m.matches() && minutes == null) {
                    minutes = Integer.valueOf(m.group(1));
                } else if (word.equals("critical") && !isCritical) {
                    isCritical = true;
                } else {
                    annotation = false;
                }
            }
            if (annotation && !parentheses.group(1).isBlank()) {
                title = parentheses.group(1).strip();
                expected = minutes;
                critical = isCritical;
            }
        }
        if (title.length() > 500) {
            throw new InvalidRunbookException("checklist step " + position + " is longer than 500 characters");
        }
        return new ChecklistStep(position, title, expected, critical);
    }

    /** CRLF and CR line ends become LF, and a byte-order mark is dropped, before anything is matched. */
    static String normalise(String content) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The index of the line closing the front matter ({@code ---} or {@code ...}), or -1. */
    private static int closingLine(String text) {
        int at = 4;
        while (at <= text.length()) {
            int next = text.indexOf('\n', at);
            String line = next < 0 ? text.substring(at) : text.substring(at, next);
            if (line.stripTrailing().equals("---") || line.stripTrailing().equals("...")) {
                return at;
            }
            if (next < 0) {
                return -1;
            }
            at = next + 1;
        }
        return -1;
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    private static void mapping(JsonNode item, String where, Set<String> allowed) throws InvalidRunbookException {
        if (!item.isObject()) {
            throw new InvalidRunbookException(where + " must be a mapping with " + String.join(", ", sorted(allowed)));
        }
        for (String key : item.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new InvalidRunbookException(where + " has an unknown field '" + cut(key, 60) + "'; allowed: "
                        + String.join(", ", sorted(allowed)));
            }
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static List<JsonNode> list(JsonNode root, String field, int max) throws InvalidRunbookException {
        if (!present(root, field)) {
            return List.of();
        }
        JsonNode value = root.get(field);
        if (!value.isArray()) {
            throw new InvalidRunbookException(field + " must be a list");
        }
        if (value.size() > max) {
            throw new InvalidRunbookException(field + " has " + value.size() + " entries; at most " + max + " are allowed");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** A list of names, or a single name; each must match the pattern. Duplicates are dropped. */
    private static List<String> names(JsonNode root, String field, Pattern pattern, String what) throws InvalidRunbookException {
        if (!present(root, field)) {
            return List.of();
        }
        JsonNode value = root.get(field);
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            if (value.size() > 50) {
                throw new InvalidRunbookException(field + " has " + value.size() + " entries; at most 50 are allowed");
            }
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode item : items) {
            String name = text(item, field, 200).toLowerCase(Locale.ROOT);
            if (!pattern.matcher(name).matches()) {
                throw new InvalidRunbookException(field + ": '" + cut(name, 100) + "' is not " + what);
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static String optionalText(JsonNode node, String field, int max) throws InvalidRunbookException {
        if (!present(node, field)) {
            return null;
        }
        String text = text(node.get(field), field, max);
        return text.isEmpty() ? null : text;
    }

    private static String text(JsonNode value, String where, int max) throws InvalidRunbookException {
        if (value.isContainer() || value.isNull()) {
            throw new InvalidRunbookException(where + " must be text");
        }
        String text = value.asString().strip();
        if (text.length() > max) {
            throw new InvalidRunbookException(where + " is longer than " + max + " characters");
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            throw new InvalidRunbookException(where + " contains control characters");
        }
        return text;
    }

    private static int integer(JsonNode value, String where, int min, int max) throws InvalidRunbookException {
        int number;
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            number = value.intValue();
        } else if (value.isString() && value.asString().strip().matches("-?\\d{1,9}")) {
            number = Integer.parseInt(value.asString().strip());
        } else {
            throw new InvalidRunbookException(where + " must be a whole number");
        }
        if (number < min || number > max) {
            throw new InvalidRunbookException(where + " must be between " + min + " and " + max + ", was " + number);
        }
        return number;
    }

    private static boolean bool(JsonNode value, String where) throws InvalidRunbookException {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString()) {
            String text = value.asString().strip().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        throw new InvalidRunbookException(where + " must be true or false");
    }

    /** A date ({@code 2025-10-02}, read as midnight UTC) or an ISO-8601 timestamp with an offset. */
    private static Instant instant(JsonNode value, String where) throws InvalidRunbookException {
        String text = text(value, where, 40);
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRunbookException(where + " '" + cut(text, 40) + "' must be a date such as 2025-10-02");
        }
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }

    /** The file name without its {@code .md} extension, lower-cased: the slug when the front matter names none. */
    public static String slugOfFileName(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.md$", "").toLowerCase(Locale.ROOT);
        return stem.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** The placeholders of a template text, in order of first use. */
    public static List<String> placeholders(String text) {
        Set<String> placeholders = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        return List.copyOf(placeholders);
    }
}

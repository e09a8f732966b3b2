package dev.assay.playbooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.assay.playbooks.InvalidRunbookException;
import dev.assay.playbooks.RunbookContent;
import dev.assay.playbooks.RunbookContent.ChecklistStep;

class RunbookDocumentParserTests {

    private final RunbookDocumentParser parser = new RunbookDocumentParser(new RunbookMarkdown());

    @Test
    void recognisesRunbooksByNameAndFrontMatter() {
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.md", "---\nrunbook: a\n---\n")).isTrue();
        assertThat(RunbookDocumentParser.looksLikeRunbook("A.MD", "\uFEFF---\r\nrunbook: a\r\n---\r\n")).isTrue();
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.md", "---\ntitle: A\nsteps:\n  - x\n---\n")).isTrue();
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.md", "---\ntitle: A\nroles: [IC]\n---\n")).isTrue();
        // Unclosed front matter is still a runbook (then quarantined with the reason).
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.md", "---\nrunbook: a\n# body")).isTrue();
        // A blog post with front matter, a plain README, a YAML file: not runbooks.
        assertThat(RunbookDocumentParser.looksLikeRunbook("post.md", "---\ntitle: Hello\nlayout: post\n---\n")).isFalse();
        assertThat(RunbookDocumentParser.looksLikeRunbook("README.md", "# Read me\nrunbook: no\n")).isFalse();
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.yaml", "---\nrunbook: a\n---\n")).isFalse();
        // A key nested under another key is not a top-level runbook: key.
        assertThat(RunbookDocumentParser.looksLikeRunbook("a.md", "---\nmeta:\n  runbook: a\n---\n")).isFalse();
    }

    @Test
    void readsEveryFieldOfTheSchema() {
        RunbookContent content = parser.parse("""
                ---
                runbook: kyc-vendor-outage
                title: KYC vendor outage
                services: [KYC-Verification-Service]
                teams: identity
                incident_types: [vendor-outage]
                review_interval_days: "30"
                last_reviewed: 2026-01-10T12:30:00+01:00
                steps:
                  - title: Switch onboarding to manual review
                    expected_minutes: 10
                    critical: "true"
                  - Tell support
                ---
                Body
                """, null);

        assertThat(content.slug()).isEqualTo("kyc-vendor-outage");
        assertThat(content.services()).containsExactly("kyc-verification-service");
        assertThat(content.teams()).containsExactly("identity");
        assertThat(content.reviewIntervalDays()).isEqualTo(30);
        assertThat(content.lastReviewed()).hasToString("2026-01-10T11:30:00Z");
        assertThat(content.steps()).containsExactly(new ChecklistStep(1, "Switch onboarding to manual review", 10, true),
                new ChecklistStep(2, "Tell support", null, false));
        assertThat(content.body()).isEqualTo("Body\n");
    }

    @Test
    void stepsFromATaskListUnderTheChecklistHeadingOnly() {
        RunbookContent content = parser.parse("""
                ---
                runbook: r
                title: R
                teams: [t]
                ---
                - [ ] before the heading: not a step

                ## Checklist:

                - [ ] Page the **on-call** (5 min, critical)
                - [x] Already done (2 mins)
                - a plain bullet, not a task
                - [ ] Keep (the parentheses) that are not an annotation
                - [ ] Check `kubectl get pods` output (critical)
                  - [ ] a nested item is not a step

                ### Sub-heading inside the section

                - [ ] still in the checklist section

                ## Afterwards

                - [ ] not a step
                """, null);

        assertThat(content.steps()).containsExactly(
                new ChecklistStep(1, "Page the on-call", 5, true),
                new ChecklistStep(2, "Already done", 2, false),
                new ChecklistStep(3, "Keep (the parentheses) that are not an annotation", null, false),
                new ChecklistStep(4, "Check \"kubectl get pods\" output", null, true),
                new ChecklistStep(5, "still in the checklist section", null, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            title: X                                  | runbook (the runbook's slug) is missing
            runbook: Bad Slug\\ntitle: X               | runbook 'Bad Slug' must be lower-case letters and digits separated by single dashes, with at least one letter, at most 100 characters
            runbook: '123'\\ntitle: X                  | runbook '123' must be lower-case letters and digits separated by single dashes, with at least one letter, at most 100 characters
            runbook: new\\ntitle: X\\nteams: [t]       | runbook 'new' is reserved (it is the address of the new-runbook form)
            runbook: a                                | title is missing
            runbook: a\\ntitle: X                      | a runbook must name at least one service (services:) or team (teams:), so that someone owns it
            runbook: a\\ntitle: X\\nteams: [t]\\nsteps: x | steps must be a list
            runbook: a\\ntitle: X\\nteams: [t]\\nsteps:\\n  - expected_minutes: 3 | steps[1].title is missing
            runbook: a\\ntitle: X\\nteams: [t]\\nsteps:\\n  - title: s\\n    expected_minutes: soon | steps[1].expected_minutes must be a whole number
            runbook: a\\ntitle: X\\nteams: [t]\\nsteps:\\n  - title: s\\n    critical: yes | steps[1].critical must be true or false
            runbook: a\\ntitle: X\\nteams: [t]\\nsteps:\\n  - title: s\\n    owner: me | steps[1] has an unknown field 'owner'; allowed: critical, expected_minutes, title
            runbook: a\\ntitle: X\\nteams: [t]\\nreview_interval_days: 0 | review_interval_days must be between 1 and 3650, was 0
            runbook: a\\ntitle: X\\nteams: [t]\\nlast_reviewed: last week | last_reviewed 'last week' must be a date such as 2025-10-02
            runbook: a\\ntitle: X\\nteams: ['<b>']     | teams: '<b>' is not a catalog team name
            runbook: a\\ntitle: X\\nteams: [t]\\nescalation:\\n  - wait_minutes: 5 | escalation[1].contact is missing
            runbook: a\\ntitle: X\\nteams: [t]\\nroles: [IC, ic] | role 'ic' is listed twice
            runbook: a\\ntitle: X\\nteams: [t]\\ntemplates:\\n  - name: n | templates[1].text is missing
            - just a list                             | the front matter must be a YAML mapping of fields (runbook, title, ...)
            """)
    void refusesWithAReasonThatSaysWhatToFix(String frontMatter, String reason) {
        String document = "---\n" + frontMatter.replace("\\n", "\n") + "\n---\nbody\n";
        assertThatThrownBy(() -> parser.parse(document, null)).isInstanceOf(InvalidRunbookException.class)
                .hasMessage(reason);
    }

    @Test
    void refusesAmbiguousOrShapelessDocuments() {
        assertThatThrownBy(() -> parser.parse("# no front matter", "x")).hasMessageStartingWith(
                "the runbook must start with YAML front matter");
        assertThatThrownBy(() -> parser.parse("---\nrunbook: a\ntitle: X\nteams: [t]\nsteps: [one]\n---\n## Steps\n- [ ] two\n",
                null)).hasMessage("the checklist is defined twice: as steps: in the front matter and as a task list"
                        + " under a Checklist/Steps heading; keep one");
        assertThatThrownBy(() -> parser.parse("---\nrunbook: a\ntitle: [x\n---\n", null))
                .hasMessageStartingWith("the front matter is not valid YAML: ");
        assertThatThrownBy(() -> parser.parse("x".repeat(RunbookDocumentParser.MAX_DOCUMENT_CHARS + 1), null))
                .hasMessage("the runbook is 262145 characters long; the limit is 262144");
    }

    @Test
    void theFileNameGivesTheSlugWhenTheFrontMatterNamesNone() {
        assertThat(RunbookDocumentParser.slugOfFileName("API Gateway TLS_Expiry.md")).isEqualTo("api-gateway-tls-expiry");
        assertThat(parser.parse("---\ntitle: X\nteams: [t]\n---\n", "from-file").slug()).isEqualTo("from-file");
    }
}

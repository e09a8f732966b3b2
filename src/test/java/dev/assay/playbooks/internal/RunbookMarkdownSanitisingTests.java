package dev.assay.playbooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.assay.playbooks.RunbookContent;

/**
 * Runbook markdown is untrusted: whatever markup a runbook file carries, the HTML Assay prints
 * unescaped must be inert. The hostile runbook (src/test/resources/playbooks/evil-runbook.md) tries
 * script, event handlers, javascript: and data: URLs, svg onload and an iframe.
 */
class RunbookMarkdownSanitisingTests {

    private final RunbookMarkdown markdown = new RunbookMarkdown();
    private final RunbookDocumentParser parser = new RunbookDocumentParser(markdown);

    @Test
    void theHostileRunbookRendersToExactlyThisInertHtml() throws IOException {
        RunbookContent content = parser.parse(resource("/playbooks/evil-runbook.md"), null);

        String html = markdown.toSafeHtml(content.body());

        assertThat(html).isEqualTo("""
                <h1>Payments outage </h1>
                <p>Call the on-call now.</p>


                <p></p>

                <p>status page and <a href="https://grafana.acme.example/d/payments" rel="nofollow noopener noreferrer">dashboard</a> and data</p>
                <p>hover</p>
                <details><summary>More</summary><kbd>Ctrl</kbd>&#43;<kbd>C</kbd></details>
                <table><thead><tr><th align="left">Step</th><th align="right">Owner</th></tr></thead><tbody><tr><td align="left">Fail over</td><td align="right">ops</td></tr></tbody></table>
                <h2>Checklist</h2>
                <ul><li>\u2610 Page the on-call (5 min, critical)</li><li>\u2611 Done already</li></ul>
                """);
        assertThat(html).doesNotContainIgnoringCase("script").doesNotContainIgnoringCase("onerror")
                .doesNotContainIgnoringCase("onload").doesNotContainIgnoringCase("onclick")
                .doesNotContainIgnoringCase("onmouseover").doesNotContainIgnoringCase("javascript:")
                .doesNotContainIgnoringCase("data:").doesNotContainIgnoringCase("<svg")
                .doesNotContainIgnoringCase("<iframe").doesNotContainIgnoringCase("<img");
        // The checklist is still read from the body, and the hostile front matter is kept as text
        // (it is escaped on output by th:text, never rendered as markup).
        assertThat(content.steps()).extracting(RunbookContent.ChecklistStep::title)
                .containsExactly("Page the on-call", "Done already");
        assertThat(content.title()).isEqualTo("Payments outage <script>alert('title')</script>");
    }

    @Test
    void eachPayloadOnItsOwn() {
        // A raw HTML block renders as itself plus a line end: only the line end is left.
        assertThat(markdown.toSafeHtml("<script>alert(1)</script>")).isEqualTo("\n");
        assertThat(markdown.toSafeHtml("x <img src=x onerror=alert(1)> y")).isEqualTo("<p>x  y</p>\n");
        assertThat(markdown.toSafeHtml("<svg onload=alert(1)><circle r=\"1\"/></svg>")).isEqualTo("<p></p>\n");
        assertThat(markdown.toSafeHtml("<iframe src=\"https://evil.example/\"></iframe>")).isEqualTo("\n");
        assertThat(markdown.toSafeHtml("[a](javascript:alert(1))")).isEqualTo("<p>a</p>\n");
        assertThat(markdown.toSafeHtml("[a](JaVaScRiPt:alert(1))")).isEqualTo("<p>a</p>\n");
        assertThat(markdown.toSafeHtml("[a](data:text/html;base64,PHNjcmlwdD4=)")).isEqualTo("<p>a</p>\n");
        assertThat(markdown.toSafeHtml("<a href=\" javascript:alert(1)\">a</a>")).isEqualTo("<p>a</p>\n");
        assertThat(markdown.toSafeHtml("<p style=\"background:url(x)\" onclick=\"x()\">p</p>")).isEqualTo("<p>p</p>\n");
        assertThat(markdown.toSafeHtml("<form action=\"/x\"><input name=\"a\"><button>go</button></form>")).isEqualTo("go\n");
        assertThat(markdown.toSafeHtml("<object data=\"x.swf\"></object><embed src=\"x.swf\">")).isEqualTo("<p></p>\n");
        assertThat(markdown.toSafeHtml("<style>body{display:none}</style>")).isEqualTo("\n");
    }

    @Test
    void linksKeepSafeTargetsAndAlwaysGetTheRelAttribute() {
        assertThat(markdown.toSafeHtml("[runbook](/runbooks/3) [mail](mailto:oncall@acme.example)"
                + " <a href=\"https://x.example\" rel=\"opener\" target=\"_blank\">x</a>")).isEqualTo(
                "<p><a href=\"/runbooks/3\" rel=\"nofollow noopener noreferrer\">runbook</a>"
                        + " <a href=\"mailto:oncall&#64;acme.example\" rel=\"nofollow noopener noreferrer\">mail</a>"
                        + " <a href=\"https://x.example\" rel=\"nofollow noopener noreferrer\">x</a></p>\n");
    }

    @Test
    void markdownFormattingSurvives() {
        assertThat(markdown.toSafeHtml("**bold** _em_ `code`\n\n```bash\nkubectl rollout undo\n```\n\n> quote"))
                .isEqualTo("<p><strong>bold</strong> <em>em</em> <code>code</code></p>\n"
                        + "<pre><code class=\"language-bash\">kubectl rollout undo\n</code></pre>\n"
                        + "<blockquote>\n<p>quote</p>\n</blockquote>\n");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = RunbookMarkdownSanitisingTests.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

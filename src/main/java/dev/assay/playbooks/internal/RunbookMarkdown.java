package dev.assay.playbooks.internal;

import java.util.List;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.springframework.stereotype.Component;

/**
 * Renders runbook markdown to HTML that is safe to put on a page. Runbooks are written by people
 * outside Assay (files in a repository), so their markdown is untrusted: commonmark renders it
 * (raw HTML included, so authors keep {@code <kbd>} or {@code <details>}), then the OWASP sanitizer
 * keeps only an allow-list of text elements. No script, no style, no event handler, no image, no
 * frame or form survives; links keep only http, https, mailto or relative targets and always get
 * {@code rel="nofollow noopener noreferrer"}. The sanitiser is the single guard: its output is the
 * one string Assay's templates print unescaped.
 */
@Component
public class RunbookMarkdown {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());

    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em",
                    "strong", "del", "s", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "a", "kbd", "sup", "sub",
                    "details", "summary")
            .allowAttributes("href", "title").onElements("a")
            .allowUrlProtocols("https", "http", "mailto")
            .allowElements(RunbookMarkdown::linkRels, "a")
            .allowAttributes("align").matching(true, "left", "center", "right").onElements("th", "td")
            .allowAttributes("start").matching(Pattern.compile("[0-9]{1,6}")).onElements("ol")
            .allowAttributes("class").matching(Pattern.compile("language-[A-Za-z0-9_+-]{1,40}")).onElements("code")
            .toFactory();

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();

    public Node parse(String markdown) {
        return parser.parse(markdown);
    }

    /** Markdown to sanitised HTML; task-list markers ({@code [ ]}, {@code [x]}) are shown as boxes. */
    public String toSafeHtml(String markdown) {
        Node document = parser.parse(markdown);
        document.accept(new TaskMarkers());
        return sanitise(renderer.render(document));
    }

    /**
     * Every link that kept its href gets {@code rel="nofollow noopener noreferrer"}, always in that
     * order (the sanitizer's own requireRelsOnLinks orders them differently from run to run).
     */
    private static String linkRels(String element, List<String> attributes) {
        for (int i = 0; i + 1 < attributes.size(); i += 2) {
            if (attributes.get(i).equals("rel")) {
                attributes.remove(i + 1);
                attributes.remove(i);
                i -= 2;
            }
        }
        if (attributes.contains("href")) {
            attributes.add("rel");
            attributes.add("nofollow noopener noreferrer");
        }
        return element;
    }

    /** The allow-list policy on its own (tests assert what it keeps). */
    public static String sanitise(String html) {
        return POLICY.sanitize(html);
    }

    /** Replaces a list item's leading {@code [ ] } or {@code [x] } by a ballot box, so a checklist reads as one. */
    private static final class TaskMarkers extends AbstractVisitor {

        @Override
        public void visit(ListItem item) {
            if (item.getFirstChild() instanceof Paragraph paragraph && paragraph.getFirstChild() instanceof Text text) {
                String literal = text.getLiteral();
                if (literal.startsWith("[ ] ")) {
                    text.setLiteral("\u2610 " + literal.substring(4));
                } else if (literal.startsWith("[x] ") || literal.startsWith("[X] ")) {
                    text.setLiteral("\u2611 " + literal.substring(4));
                }
            }
            visitChildren(item);
        }
    }
}

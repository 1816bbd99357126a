package appealhub.connectors.leaderboard;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * A board's HTML message text → plain text, with jsoup: tags dropped (script and style with
 * their content), {@code <br/>} and block elements become line breaks, entities are decoded
 * (&amp;nbsp; becomes a plain space), and whitespace is tidied the way a browser shows it:
 * runs of spaces collapse, lines are trimmed, at most one empty line in a row.
 */
public final class LeaderboardHtml {
    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
            "h4", "h5", "h6", "blockquote", "pre", "section", "article", "header", "footer", "dd", "dt", "dl");

    private LeaderboardHtml() {}

    public static String toText(String html) {
        if (html == null) return null;
        Element body = Jsoup.parseBodyFragment(html).body();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    // In HTML a source line break is just white space; <br/> is the line break.
                    out.append(text.getWholeText().replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
                } else if (node instanceof Element e) {
                    if (e.normalName().equals("br")) out.append('\n');
                    else if (BLOCKS.contains(e.normalName())) lineBreak();
                    else if (e.normalName().equals("td") || e.normalName().equals("th")) out.append(' ');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && BLOCKS.contains(e.normalName())) lineBreak();
            }

            /** A block starts or ends on its own line (one break, not one per nested block). */
            private void lineBreak() {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') out.append('\n');
            }
        }, body);
        return tidy(out.toString());
    }

    /** Title-like text: the same cleaning, on one line. */
    public static String toLine(String html) {
        String text = toText(html);
        return text == null ? null : text.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    private static String tidy(String text) {
        StringBuilder result = new StringBuilder();
        int emptyLines = 0;
        for (String line : text.split("\n", -1)) {
            // No-break spaces (&nbsp;), ideographic spaces used as indentation and runs of blanks: one space.
            String l = line.replace('\u00a0', ' ').replace('\u3000', ' ').replaceAll(" {2,}", " ").strip();
            if (l.isEmpty()) {
                if (result.length() > 0) emptyLines++;
                continue;
            }
            if (result.length() > 0) result.append(emptyLines > 0 ? "\n\n" : "\n");
            result.append(l);
            emptyLines = 0;
        }
        return result.toString();
    }
}

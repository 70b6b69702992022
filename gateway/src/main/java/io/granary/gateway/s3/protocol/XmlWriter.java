package io.granary.gateway.s3.protocol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small XML documents S3 answers with (a listing holds at most 1000 entries, so a
 * document is built whole): elements in S3's namespace, text escaped, characters XML 1.0 cannot
 * carry written as S3 writes them under {@code encoding-type=url} or replaced. Not thread-safe.
 */
public final class XmlWriter {
    /** The namespace of every S3 response document. */
    public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** A document whose root element is {@code root}, in the S3 namespace unless {@code namespaced} is false. */
    public static XmlWriter document(String root, boolean namespaced) {
        XmlWriter writer = new XmlWriter();
        writer.out.append('<').append(root);
        if (namespaced) {
            writer.out.append(" xmlns=\"").append(S3_NAMESPACE).append('"');
        }
        writer.out.append('>');
        writer.open.push(root);
        return writer;
    }

    /** Opens a child element. */
    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Closes the innermost open element. */
    public XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** {@code <name>text</name>}. */
    public XmlWriter element(String name, String text) {
        out.append('<').append(name).append('>');
        escape(text);
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>value</name>}. */
    public XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    /** {@code <name>true|false</name>}. */
    public XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** The document whose root element holds only {@code text}. */
    public String finishWithText(String text) {
        escape(text);
        return finish();
    }

    /** The document, with every open element closed. */
    public String finish() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString();
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        // not allowed in XML 1.0 even as a reference; S3 clients ask for encoding-type=url
                        out.append("&#x").append(Integer.toHexString(0xFFFD)).append(';');
                    } else if (c == '\r' || c == '\n' || c == '\t') {
                        out.append("&#x").append(Integer.toHexString(c)).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}

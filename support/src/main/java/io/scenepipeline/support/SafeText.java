package io.scenepipeline.support;

/**
 * Text that came from outside (a plan, a file name, a provider) made safe to copy into a log line or a report: control
 * characters escaped so one line stays one event, and a cap on its length.
 */
public final class SafeText {

    /** How much provider text is copied into a message, a report or a log line. */
    public static final int MAX_CHARS = 4000;

    private SafeText() {
    }

    /** Control characters (and Unicode line and paragraph separators) as {@code \n}, {@code \r}, {@code \t}, {@code \u0000}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }

    /** At most {@code max} characters, then {@code … (N more characters)}. */
    public static String cap(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }

    /** Escaped and capped: one line of at most {@code max} characters (and the note of what was cut). */
    public static String oneLine(String text, int max) {
        return cap(escape(text), max);
    }

    /** {@link #cap(String, int)} at {@link #MAX_CHARS}. */
    public static String cap(String text) {
        return cap(text, MAX_CHARS);
    }
}

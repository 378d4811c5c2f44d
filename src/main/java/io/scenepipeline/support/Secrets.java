package io.scenepipeline.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces API keys and tokens in a text before it is logged or written anywhere. Every configured secret is also
 * registered process-wide, so the log layout redacts it in every line the process writes, Camel's and libraries'
 * included; besides the configured values, anything shaped like a bearer token or a Replicate or ElevenLabs key
 * is redacted.
 */
public final class Secrets {

    private static final Set<String> KNOWN = new CopyOnWriteArraySet<>();
    private static final Pattern SHAPED = Pattern.compile(
            "(?i)(bearer\\s+)[^\\s\"',;]+|\\br8_[A-Za-z0-9]{16,}|\\bsk_[A-Za-z0-9]{24,}|(xi-api-key[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;]+");
    private static final String MASK = "***";

    private final List<String> secrets;

    public Secrets(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
        KNOWN.addAll(this.secrets);
    }

    public String redact(String text) {
        return redact(text, secrets);
    }

    /** Redacts every secret any {@link Secrets} of this process was given, and token-shaped text. */
    public static String redactKnown(String text) {
        return redact(text, KNOWN);
    }

    private static String redact(String text, Iterable<String> values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : values) {
            out = out.replace(s, MASK);
        }
        return SHAPED.matcher(out).replaceAll(m -> {
            String prefix = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "";
            return Matcher.quoteReplacement(prefix + MASK);
        });
    }
}

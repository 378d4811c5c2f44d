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
 * is redacted. A secret of {@value #ANYWHERE} characters or more is redacted wherever it stands; a shorter one (a
 * password such as {@code pipeline}) only where it stands as a whole value, not inside a longer name: the broker
 * password {@code pipeline} must not turn the queue {@code scene-pipeline-inbox} into {@code scene-***-inbox}.
 */
public final class Secrets {

    static final int ANYWHERE = 16;
    private static final Set<Secret> KNOWN = new CopyOnWriteArraySet<>();
    private static final Pattern SHAPED = Pattern.compile(
            "(?i)(bearer\\s+)[^\\s\"',;]+|\\br8_[A-Za-z0-9]{16,}|\\bsk_[A-Za-z0-9]{24,}|(xi-api-key[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;]+");
    private static final String MASK = "***";

    private final List<Secret> secrets;

    /** A secret, with the pattern of it standing as a whole value (short secrets are redacted only so). */
    private record Secret(String value, Pattern whole) {
        static Secret of(String value) {
            return new Secret(value, value.length() >= ANYWHERE ? null
                    : Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(value) + "(?![A-Za-z0-9_-])"));
        }

        String redact(String text) {
            if (!text.contains(value)) {
                return text;
            }
            return whole == null ? text.replace(value, MASK) : whole.matcher(text).replaceAll(MASK);
        }
    }

    public Secrets(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).map(Secret::of).toList();
        KNOWN.addAll(this.secrets);
    }

    public String redact(String text) {
        return redact(text, secrets);
    }

    /** Redacts every secret any {@link Secrets} of this process was given, and token-shaped text. */
    public static String redactKnown(String text) {
        return redact(text, KNOWN);
    }

    private static String redact(String text, Iterable<Secret> values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Secret s : values) {
            out = s.redact(out);
        }
        return SHAPED.matcher(out).replaceAll(m -> {
            String prefix = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "";
            return Matcher.quoteReplacement(prefix + MASK);
        });
    }
}

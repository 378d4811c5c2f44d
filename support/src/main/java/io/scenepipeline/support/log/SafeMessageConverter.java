package io.scenepipeline.support.log;

import io.scenepipeline.support.SafeText;
import io.scenepipeline.support.Secrets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * {@code %safeMsg} in a log4j2 pattern: the message and its exception, with every secret redacted and every control
 * character escaped, so one line is one event whoever wrote it (the pipeline, Camel, a library). An exception's stack
 * follows on lines that start with a tab; its messages are escaped the same way. A message is capped at
 * {@value #MAX_MESSAGE} characters.
 */
@Plugin(name = "SafeMessageConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"safeMsg"})
public final class SafeMessageConverter extends LogEventPatternConverter {

    static final int MAX_MESSAGE = 8000;
    private static final int MAX_FRAMES = 25;
    private static final int MAX_CAUSES = 10;

    private SafeMessageConverter() {
        super("SafeMessage", "message");
    }

    /** log4j2 creates the converter through this factory. */
    public static SafeMessageConverter newInstance(String[] options) {
        return new SafeMessageConverter();
    }

    @Override
    public void format(LogEvent event, StringBuilder out) {
        out.append(clean(event.getMessage() == null ? "" : event.getMessage().getFormattedMessage(), MAX_MESSAGE));
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            appendThrowable(thrown, out);
        }
    }

    @Override
    public boolean handlesThrowable() {
        return true;
    }

    /** Redacted, escaped, capped. */
    public static String clean(String text, int max) {
        return SafeText.escape(SafeText.cap(Secrets.redactKnown(text), max));
    }

    private static void appendThrowable(Throwable thrown, StringBuilder out) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < MAX_CAUSES && seen.add(t); depth++, t = t.getCause()) {
            out.append(System.lineSeparator()).append('\t').append(depth == 0 ? "" : "Caused by: ")
                    .append(t.getClass().getName());
            if (t.getMessage() != null) {
                out.append(": ").append(clean(t.getMessage(), MAX_MESSAGE / 2));
            }
            StackTraceElement[] frames = t.getStackTrace();
            int shown = Math.min(frames.length, MAX_FRAMES);
            for (int i = 0; i < shown; i++) {
                out.append(System.lineSeparator()).append("\t\tat ").append(frames[i]);
            }
            if (frames.length > shown) {
                out.append(System.lineSeparator()).append("\t\t... ").append(frames.length - shown).append(" more");
            }
        }
    }
}

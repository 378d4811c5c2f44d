package io.scenepipeline.support;

import io.scenepipeline.support.log.SafeMessageConverter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code %safeMsg}: what any logger writes is redacted, escaped and capped. */
class SafeMessageConverterTest {

    private static String format(String message, Throwable thrown) {
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("org.apache.camel.processor.errorhandler.DeadLetterChannel")
                .setLevel(Level.ERROR).setMessage(new SimpleMessage(message)).setThrown(thrown).build();
        StringBuilder out = new StringBuilder();
        SafeMessageConverter.newInstance(new String[0]).format(event, out);
        return out.toString();
    }

    @Test
    void should_redact_configured_secrets_and_token_shapes_in_messages_and_stack_traces() {
        new Secrets(List.of("configured-elevenlabs-key-123"));
        // shaped like a Replicate token (made here, so no token-shaped text sits in the repository)
        String token = "r8_" + "abcdefghij".repeat(3);
        Exception cause = new IllegalStateException("provider said: Bearer " + token + " is bad");

        String line = format("key configured-elevenlabs-key-123 and xi-api-key: whatever-it-is", new RuntimeException("wrapped", cause));

        assertThat(line).doesNotContain("configured-elevenlabs-key-123").doesNotContain(token)
                .doesNotContain("whatever-it-is").contains("key *** and xi-api-key: ***").contains("Bearer ***");
    }

    @Test
    void should_escape_control_characters_so_one_line_is_one_event() {
        String line = format("file x\nERROR plan=payroll Pipeline failed: FORGED\u0000\r", new IllegalStateException("two\nlines"));

        String[] lines = line.split("\n");
        assertThat(lines[0]).isEqualTo("file x\\nERROR plan=payroll Pipeline failed: FORGED\\u0000\\r");
        assertThat(lines[1]).isEqualTo("\tjava.lang.IllegalStateException: two\\nlines");
        assertThat(java.util.Arrays.copyOfRange(lines, 1, lines.length)).allSatisfy(l -> assertThat(l).startsWith("\t"));
    }

    @Test
    void should_cap_a_huge_message() {
        String line = format("E".repeat(10_000_000), null);

        assertThat(line).hasSizeLessThan(9_000).endsWith("… (9992000 more characters)");
    }
}

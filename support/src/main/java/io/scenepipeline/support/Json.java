package io.scenepipeline.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson mapper of the pipeline, and small helpers around it. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] pretty(Object value) {
        try {
            return PRETTY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a provider's answer; a body that is not JSON becomes a {@link MalformedResponseException}. */
    /**
     * The JSON in {@code file} read as untrusted: a missing node when it is absent, not a regular file, larger than
     * {@code maxBytes} or not JSON.
     */
    public static JsonNode readFile(java.nio.file.Path file, long maxBytes) {
        try {
            if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    || java.nio.file.Files.size(file) > maxBytes) {
                return MAPPER.missingNode();
            }
            return MAPPER.readTree(file.toFile());
        } catch (java.io.IOException | RuntimeException e) {
            return MAPPER.missingNode();
        }
    }

    public static JsonNode readResponse(String provider, String text) {
        try {
            JsonNode node = MAPPER.readTree(text == null ? "" : text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedResponseException(provider + " answered with an empty body");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new MalformedResponseException(provider + " answered with JSON too large to read (" + text.length()
                    + " characters; " + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new MalformedResponseException(provider + " answered with a body that is not JSON: " + abbreviate(text));
        }
    }

    public static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}

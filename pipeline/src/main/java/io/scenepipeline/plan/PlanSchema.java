package io.scenepipeline.plan;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published plan schema ({@code schema/scene-plan.schema.json}, bundled in the jar as {@code /schema/...}) and
 * the messages its violations get: each schema node names them in {@code x-error} (one text, or one per keyword),
 * so the dead-letter report reads {@code scenes[0].duration: must be greater than 0 seconds, got 0}.
 */
public final class PlanSchema {

    public static final String RESOURCE = "/schema/scene-plan.schema.json";
    private static final PlanSchema INSTANCE = new PlanSchema();

    private final JsonNode document;
    private final Schema schema;

    private PlanSchema() {
        try (InputStream in = PlanSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // 2020-12, plus x-error: our messages, not a rule (declared so the validator does not warn about it)
        Dialect dialect = Dialect.builder(Dialects.getDraft202012()).keyword(new NonValidationKeyword("x-error")).build();
        schema = SchemaRegistry.withDefaultDialect(dialect).getSchema(document.deepCopy());
    }

    public static PlanSchema get() {
        return INSTANCE;
    }

    /** The schema as published (for tests and tools). */
    public JsonNode document() {
        return document;
    }

    /** Every violation as {@code path: reason}, one per field (the most basic: missing, then wrong type, then empty). */
    public List<String> problems(JsonNode plan) {
        Map<String, Error> byPath = new LinkedHashMap<>();
        for (Error e : schema.validate(plan)) {
            String path = path(e.getInstanceLocation(), "required".equals(e.getKeyword()) ? e.getProperty() : null);
            byPath.merge(path, e, (a, b) -> rank(b) < rank(a) ? b : a);
        }
        List<String> problems = new ArrayList<>();
        byPath.forEach((path, e) -> problems.add(path + ": " + ("required".equals(e.getKeyword()) ? "is required" : reason(e))));
        return problems;
    }

    private static int rank(Error e) {
        return switch (e.getKeyword()) {
            case "required" -> 0;
            case "type" -> 1;
            case "minLength", "minItems" -> 2;
            default -> 3;
        };
    }

    private String reason(Error e) {
        JsonNode owner = schemaNode(e.getSchemaLocation().getFragment());
        JsonNode template = owner == null ? null : owner.get("x-error");
        if (template != null && template.isObject()) {
            template = template.get(e.getKeyword());
        }
        if (template == null || !template.isTextual()) {
            return e.getMessage();
        }
        return template.asText().replace("{got}", got(e.getInstanceNode(), "type".equals(e.getKeyword())));
    }

    /** The schema object holding the failed keyword (the fragment's last segment is the keyword itself). */
    private JsonNode schemaNode(NodePath fragment) {
        JsonNode node = document;
        for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        return node;
    }

    /** {@code scenes[0].duration} from {@code /scenes/0/duration}; {@code (root)} for the document itself. */
    static String path(NodePath location, String property) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(element);
            }
        }
        if (property != null) {
            sb.append(sb.length() == 0 ? "" : ".").append(property);
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    /** What was found: its kind for a type error ({@code a string}), else the value itself ({@code "hologram"}). */
    static String got(JsonNode n, boolean kindOnly) {
        if (n == null) {
            return "nothing";
        }
        if (n.isTextual()) {
            return kindOnly ? "a string" : "\"" + printable(n.asText()) + "\"";
        }
        if (n.isNumber()) {
            return kindOnly ? "the number " + n.asText() : n.asText();
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "null";
    }

    static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder sb = new StringBuilder();
        shown.codePoints().forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return sb.toString().replace("\"", "\\\"");
    }
}

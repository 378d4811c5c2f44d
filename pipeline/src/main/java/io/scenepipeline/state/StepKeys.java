package io.scenepipeline.state;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key of a step in the journal: a SHA-256 over the step name and every input that decides its output, in a
 * canonical JSON form (object keys sorted), with upstream files represented by their content hash. Two runs
 * that would send the same request get the same key; any changed input gives a new key.
 */
public final class StepKeys {

    private StepKeys() {
    }

    /** @param inputs the step's inputs; files must already be replaced by {@code sha256:<hex>} */
    public static String of(String step, Object inputs) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("step", step);
        root.set("inputs", Json.MAPPER.valueToTree(inputs));
        return sha256(canonical(root).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The same JSON with every object's keys sorted, so key order never changes a key. */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                sorted.put(f.getKey(), canonical(f.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        return node;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key a plan is claimed by while one node runs it (cluster mode; see {@link StepJournal#claim}). */
    public static String planKey(String planId) {
        return sha256(("plan " + planId).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256:<hex>}: how a file stands in a key. */
    public static String fileRef(String sha256) {
        return "sha256:" + sha256;
    }
}

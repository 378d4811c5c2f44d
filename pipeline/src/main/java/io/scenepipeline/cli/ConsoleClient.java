package io.scenepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code scene-pipeline ctl …}: the console's actions from the command line, against the running service's API
 * (docs/console.md): at {@code camel.management.host}:{@code camel.management.port}, or {@code --url}, with
 * {@code management.token} when it is set. Exit 0 when the service did it, 1 when it refused or cannot be reached.
 */
final class ConsoleClient {

    static final String USAGE = """
            usage: java -jar scene-pipeline.jar ctl COMMAND [--url http://host:port]
              plans [running|waiting|succeeded|dead-lettered]   the plans, newest first
              plan ID                                           one plan with its timeline (JSON)
              cancel ID                                         cancel a running plan (its predictions are canceled)
              redrive ID [--yes]                                a dead letter's estimate; with --yes, redrive it
              redrive-all [--provider P] [--kind K] [--since T] [--yes]   the same for every matching dead letter
              providers                                         the providers' state
              pause NAME | resume NAME                          replicate, elevenlabs or facerig""";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConsoleClient() {
    }

    static int run(List<String> args, Function<String, String> props, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(args);
        String url;
        String provider;
        String kind;
        String since;
        boolean yes = words.remove("--yes");
        try {
            url = option(words, "--url");
            provider = option(words, "--provider");
            kind = option(words, "--kind");
            since = option(words, "--since");
        } catch (IllegalArgumentException e) {
            err.println("scene-pipeline: " + e.getMessage());
            return ScenePipelineApp.EXIT_SETUP;
        }
        if (words.isEmpty()) {
            err.println(USAGE);
            return ScenePipelineApp.EXIT_SETUP;
        }
        String base = url != null ? url.replaceAll("/+$", "") : "http://" + loopbackOr(props.apply("camel.management.host")) + ":"
                + (props.apply("camel.management.port") == null ? "8080" : props.apply("camel.management.port").trim());
        String command = words.get(0);
        String arg = words.size() > 1 ? words.get(1) : null;
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("by", System.getProperty("user.name", "cli") + " (cli)");
        try {
            JsonNode answer = switch (command) {
                case "plans" -> call(base, props, "GET", "/api/plans" + (arg == null ? "" : "?status=" + enc(arg)), null);
                case "plan" -> call(base, props, "GET", "/api/plans/" + enc(need(arg, "plan id")), null);
                case "cancel" -> call(base, props, "POST", "/api/plans/" + enc(need(arg, "plan id")) + "/cancel", body);
                case "redrive" -> call(base, props, "POST", "/api/dead-letters/" + enc(need(arg, "dead letter id")) + "/redrive",
                        body.put("confirm", yes));
                case "redrive-all" -> {
                    putIf(body, "provider", provider);
                    putIf(body, "kind", kind);
                    putIf(body, "since", since);
                    yield call(base, props, "POST", "/api/dead-letters/redrive", body.put("confirm", yes));
                }
                case "providers" -> call(base, props, "GET", "/api/providers", null);
                case "pause", "resume" -> call(base, props, "POST", "/api/providers/" + enc(need(arg, "provider")) + "/" + command, body);
                default -> throw new IllegalArgumentException("unknown command " + command + "\n" + USAGE);
            };
            print(command, answer, out);
            if (!yes && command.startsWith("redrive")) {
                out.println("(an estimate: run it again with --yes to redrive)");
            }
            return ScenePipelineApp.EXIT_OK;
        } catch (IllegalArgumentException | IOException e) {
            err.println("scene-pipeline: " + e.getMessage());
            return ScenePipelineApp.EXIT_SETUP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScenePipelineApp.EXIT_SETUP;
        }
    }

    private static JsonNode call(String base, Function<String, String> props, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("X-Requested-By", "scene-pipeline-cli")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        String token = props.apply("management.token");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.trim());
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("the service does not answer at " + base + " (" + e.getClass().getSimpleName()
                    + "): is it running? camel.management.port, or --url http://host:port");
        }
        JsonNode json;
        try {
            json = Json.read(response.body());
        } catch (RuntimeException e) {
            throw new IOException(base + path + " answered " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() >= 300) {
            throw new IOException(response.statusCode() + ": " + json.path("error").asText(response.body()));
        }
        return json;
    }

    private static void print(String command, JsonNode answer, PrintStream out) {
        if ("plans".equals(command)) {
            for (JsonNode p : answer.path("plans")) {
                out.printf(Locale.ROOT, "%-14s %-32s %5s %10s  %s%s%n", p.path("status").asText(), p.path("plan_id").asText(),
                        p.has("scenes_total") ? p.path("scenes_done").asInt() + "/" + p.path("scenes_total").asInt() : "",
                        p.path("cost_usd").isNumber() ? String.format(Locale.ROOT, "$%.4f", p.path("cost_usd").asDouble()) : "",
                        p.path("at").asText(), p.has("error") ? "  " + p.path("error").asText() : "");
            }
            return;
        }
        if ("providers".equals(command)) {
            for (JsonNode p : answer.path("providers")) {
                out.printf(Locale.ROOT, "%-11s %-38s in flight %d, waiting %s, retries %d, 429s %d, budget left %d, breaker %s, spent today $%s%n",
                        p.path("name").asText(), p.has("paused") ? "paused by " + p.path("paused").path("by").asText() + " since "
                                + p.path("paused").path("at").asText() : "calling", p.path("in_flight").asInt(), p.path("waiting"),
                        p.path("retries").asInt(), p.path("throttled").asInt(), p.path("retry_budget_left").asInt(),
                        p.path("breaker").asText(), p.path("spent_today_usd").asText());
            }
            return;
        }
        out.println(answer.toPrettyString());
    }

    private static String option(List<String> words, String name) {
        int i = words.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= words.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = words.get(i + 1);
        words.subList(i, i + 2).clear();
        return value;
    }

    private static void putIf(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String need(String arg, String what) {
        if (arg == null) {
            throw new IllegalArgumentException("which " + what + "?\n" + USAGE);
        }
        return arg;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String loopbackOr(String host) {
        return host == null || host.isBlank() || "0.0.0.0".equals(host.trim()) ? "127.0.0.1" : host.trim();
    }
}

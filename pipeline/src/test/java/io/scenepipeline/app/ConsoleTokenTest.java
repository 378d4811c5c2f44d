package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code management.token} set, the console's API answers only a request that carries it. */
class ConsoleTokenTest extends PipelineTestSupport {

    private static final String SECRET = "console-token-7f3a9c";
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties extraProperties() {
        Properties p = withManagementServer();
        p.setProperty("management.token", SECRET);
        return p;
    }

    @Test
    void should_answer_only_requests_that_carry_the_token() throws Exception {
        HttpResponse<String> none = send("GET", "/api/plans", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"scene-pipeline\"");
        assertThat(send("GET", "/api/plans", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/providers/replicate/pause", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/plans", "Bearer " + SECRET).statusCode()).isEqualTo(200);
        // the token is a header no foreign page can send: an action needs nothing more
        HttpResponse<String> paused = send("POST", "/api/providers/replicate/pause", "Bearer " + SECRET);
        assertThat(paused.statusCode()).isEqualTo(200);
        HttpResponse<String> providers = send("GET", "/api/providers", "Bearer " + SECRET);
        assertThat(providers.body()).contains("\"paused\"").doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(XI_KEY);
        // the page itself is served (it asks for the token); health stays open
        assertThat(send("GET", "/console/", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/observe/health", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

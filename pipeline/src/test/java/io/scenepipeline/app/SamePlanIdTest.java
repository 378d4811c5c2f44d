package io.scenepipeline.app;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Two files of one plan id dropped together: they never run at the same time, and the second pays for nothing. */
class SamePlanIdTest extends PipelineTestSupport {

    @Test
    void should_run_two_files_of_one_plan_id_one_after_the_other_paying_once() throws Exception {
        stubHappyProviders();
        // a slow image create, so the two would overlap if they could
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(201).withFixedDelay(500)
                .withHeader("Content-Type", "application/json").withBody(prediction("imagepredictionid000000001", "starting", null))));
        String plan = plan(1).replaceFirst("\\{", "{\"plan_id\": \"twin\", ");
        NotifyBuilder both = new NotifyBuilder(context).fromRoute("inbox")
                .filter(e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null).whenDone(2).create();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        for (String name : new String[] {"first.json", "second.json"}) {
            Path tmp = inbox.resolve("." + name + ".tmp");
            Files.writeString(tmp, plan, StandardCharsets.UTF_8);
            Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }

        assertThat(both.matches(30, TimeUnit.SECONDS)).isTrue();

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(readJson(outbox("twin").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
        assertThat(dir.resolve("dead-letter")).isEmptyDirectory();
    }
}

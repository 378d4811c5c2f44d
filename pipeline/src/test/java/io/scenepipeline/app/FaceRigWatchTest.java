package io.scenepipeline.app;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** While no face_rig server can be reached, a plan waits in the inbox and nothing is paid; it runs once one can. */
class FaceRigWatchTest extends PipelineTestSupport {

    private int port;
    private WireMockServer faceRig;

    @Override
    protected Properties extraProperties() {
        port = freePort();
        Properties p = new Properties();
        p.setProperty("facerig.base-url", "http://127.0.0.1:" + port);
        p.setProperty("facerig.watch-interval", "100ms");
        return p;
    }

    @AfterEach
    void stopFaceRig() {
        if (faceRig != null) {
            faceRig.stop();
        }
    }

    @Test
    void should_hold_new_plans_without_paying_while_no_face_rig_server_answers() throws Exception {
        stubHappyProviders();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> facerigReadiness() == HealthCheck.State.DOWN);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("inbox").filter(e -> e.getProperty("CamelSplitIndex") == null)
                .whenDone(1).create();
        drop("held.json", plan(1));

        // face_rig comes up (the same answers as the stubs on the providers' server)
        faceRig = new WireMockServer(wireMockConfig().port(port));
        for (StubMapping m : wm.getStubMappings()) {
            String url = String.valueOf(m.getRequest().getUrl()) + m.getRequest().getUrlPath();
            if (url.contains("/audio/upload") || url.contains("/generate-") || url.contains("/export-video")) {
                faceRig.addStubMapping(m);
            }
        }
        Date up = new Date();
        faceRig.start();

        assertThat(done.matches(30, TimeUnit.SECONDS)).isTrue();
        assertThat(outbox("held").resolve("manifest.json")).exists();
        assertThat(facerigReadiness()).isNotEqualTo(HealthCheck.State.DOWN);
        // nothing was paid before face_rig could be reached: every paid call came after it was up
        List<LoggedRequest> paid = wm.findAll(postRequestedFor(urlPathMatching("/v1/.*")));
        assertThat(paid).isNotEmpty().allSatisfy(r -> assertThat(r.getLoggedDate()).isAfterOrEqualTo(up));
    }

    private HealthCheck.State facerigReadiness() {
        return HealthCheckHelper.invokeReadiness(context).stream().filter(r -> "facerig".equals(r.getCheck().getId()))
                .findFirst().map(HealthCheck.Result::getState).orElse(HealthCheck.State.UNKNOWN);
    }
}

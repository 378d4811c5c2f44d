package io.scenepipeline.cli;

import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.provider.facerig.FaceRigWatch;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Before anything is paid: the providers a real run needs can be reached. Each face_rig server of
 * {@code facerig.base-url} is connected to and asked {@code GET /health}; when none accepts a connection the start
 * stops with one line saying how to run one or how to run without the character (a run would otherwise pay Replicate
 * and ElevenLabs, then fail at its first face_rig call). A server that accepts but does not answer its health in time is
 * only said (the real server answers nothing while it works on a call). Replicate's and ElevenLabs' hosts must resolve.
 */
final class ProviderReach {

    private static final Logger LOG = Logs.of(ProviderReach.class);
    private static final Duration HEALTH = Duration.ofSeconds(3);

    private ProviderReach() {
    }

    /** Throws a {@link ScenePipelineApp.StartupException} naming every provider that cannot be reached, and its fix. */
    static void check(PipelineSettings settings) {
        List<String> problems = new ArrayList<>();
        resolve("replicate.base-url", settings.replicate().baseUrl(), problems);
        resolve("elevenlabs.base-url", settings.elevenlabs().baseUrl(), problems);
        if (settings.steps().faceRigEnabled()) {
            faceRig(settings.facerig().baseUrls(), problems);
        }
        if (problems.size() == 1) {
            throw new ScenePipelineApp.StartupException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new ScenePipelineApp.StartupException(problems.size() + " providers cannot be reached, nothing was paid:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static void faceRig(List<URI> servers, List<String> problems) {
        List<URI> down = new ArrayList<>();
        for (URI server : servers) {
            if (!FaceRigWatch.connects(server)) {
                down.add(server);
            } else if (!healthy(server)) {
                LOG.warn("face_rig server {} accepts connections but did not answer GET /health within {} s (busy with a call, or not "
                        + "a face_rig server?)", server, HEALTH.toSeconds());
            }
        }
        if (down.size() == servers.size()) {
            problems.add("no face_rig server answers at " + String.join(", ", servers.stream().map(URI::toString).toList())
                    + " (facerig.base-url): start one (README, \"face_rig servers\") or set pipeline.face-rig.enabled=false to make "
                    + "the videos without the character");
        } else if (!down.isEmpty()) {
            LOG.warn("face_rig server(s) {} do not answer (facerig.base-url); the other {} take their calls",
                    String.join(", ", down.stream().map(URI::toString).toList()), servers.size() - down.size());
        }
    }

    private static boolean healthy(URI server) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(HEALTH).build().send(HttpRequest.newBuilder(
                    server.resolve("/health")).timeout(HEALTH).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void resolve(String key, URI url, List<String> problems) {
        try {
            InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            problems.add(key + ": cannot resolve " + url.getHost() + " (no network or DNS here?)");
        }
    }
}

package io.scenepipeline.cli;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster node asked for its readiness all through its start-up answers 503 or 200, never an error. */
class ClusterStartupIT extends ClusterTestSupport {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void should_answer_readiness_asked_during_start_up_without_an_error() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String ready = "http://127.0.0.1:" + port + "/observe/health/ready";
        Set<Integer> answers = ConcurrentHashMap.newKeySet();
        String simulator = processes.simulator();
        Processes.Run node = processes.jar(node("startup-", simulator, "", null, "camel.management.port=" + port), List.of());
        // asked every 20 ms from the moment the process starts until it watches the inbox (a refused connection: not up yet)
        Thread asker = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && node.process.isAlive()) {
                try {
                    answers.add(HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ready)).timeout(Duration.ofSeconds(2)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (java.net.http.HttpTimeoutException unanswered) {
                    answers.add(-1);
                } catch (Exception notListeningYet) {
                    // the management server is not up yet
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }, "readiness-asker");
        asker.start();
        node.awaitLine("Watching", Duration.ofSeconds(90));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> answers.contains(200));
        asker.interrupt();
        asker.join(10_000);

        // never a 500 (Camel's route check once threw on a route being removed); -1: no answer within 2 s
        assertThat(answers).as("readiness statuses during start-up").isSubsetOf(200, 503, -1);
        assertThat(node.output()).doesNotContain("Exception").doesNotContain(" ERROR ");
    }
}

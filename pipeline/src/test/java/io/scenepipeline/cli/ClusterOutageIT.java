package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode when its parts misbehave: the database gone mid-plan (a TCP relay cut), and the same plan sent or dropped
 * more than once; real processes, PostgreSQL and Artemis as in {@link ClusterIT}.
 */
class ClusterOutageIT extends ClusterTestSupport {

    @Test
    void should_make_no_paid_call_while_the_database_is_gone_and_finish_when_it_is_back() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        URI database = URI.create(ClusterServices.JDBC_URL.replace("jdbc:", ""));
        try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort())) {
            Processes.Run node = processes.jar(node("outage-", simulator, "", "jdbc:postgresql://127.0.0.1:" + proxy.port()
                    + database.getPath()), List.of());
            String health = management(node);
            drop(1);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> creates(simulator) >= 1 || !node.process.isAlive());

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 200);
            proxy.cut();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 503);
            assertThat(readiness(health)).contains("\"cluster\",\"status\":\"DOWN\"")
                    .contains("the journal's database (pipeline.journal.jdbc-url) cannot be reached");
            node.awaitLine("The journal's database cannot be reached", Duration.ofMinutes(1));
            JsonNode before = Processes.simulatorRequests(simulator).path("requests");
            // the outage lasts while the node answers ten more readiness checks with 503 (every step waits for the database)
            int[] down = {0};
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> (status(health + "/observe/health/ready") == 503 ? ++down[0] : down[0]) >= 10);
            JsonNode during = Processes.simulatorRequests(simulator).path("requests");
            assertThat(during.path("replicate.create").asInt()).as("creates while the database was gone")
                    .isEqualTo(before.path("replicate.create").asInt());
            assertThat(during.path("elevenlabs.tts").asInt()).as("narrations while the database was gone")
                    .isEqualTo(before.path("elevenlabs.tts").asInt());
            assertThat(status(health + "/observe/health/ready")).isEqualTo(503);
            assertAnswersWithinASecond(health);

            proxy.mend();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !node.process.isAlive());
            node.awaitLine("The journal's database answers again", Duration.ofSeconds(10));
            assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-1/manifest.json"))).path("status").asText())
                    .as(node.output()).isEqualTo("succeeded");
            eachCreatedOnce(Processes.simulatorRequests(simulator).path("creates_by_input"));
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 200);
            } finally {
                System.out.println("readiness: " + readiness(health));
            }
            // the outage said once each way, not repeated by the connection pool and the inbox claims every few seconds
            assertThat(count(node, "The journal's database cannot be reached")).isEqualTo(1);
            assertThat(node.output()).doesNotContain("keepAlive").doesNotContain("Failed to validate connection");
            assertThat(node.lines).filteredOn(l -> l.contains(" ERROR ")).isEmpty();
        }
    }

    @Test
    void should_keep_a_plan_in_the_inbox_while_the_broker_is_gone_and_run_it_when_it_is_back() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        URI broker = URI.create(ClusterServices.BROKER_URL);
        try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort())) {
            Processes.Run node = processes.jar(node("broker-gone-", simulator, "", null,
                    "pipeline.cluster.broker-url=tcp://127.0.0.1:" + proxy.port()), List.of());
            String health = management(node);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 200);
            proxy.cut();
            node.awaitLine("The broker (pipeline.cluster.broker-url) cannot be reached", Duration.ofMinutes(1));
            drop(1);
            // the node has claimed the file and tries to send it: it stays in the inbox, no dead letter
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> services.count("SELECT count(*) FROM CAMEL_MESSAGEPROCESSED") == 1);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(health + "/observe/health/ready") == 503);
            assertThat(readiness(health)).contains("the broker (pipeline.cluster.broker-url) cannot be reached");
            assertAnswersWithinASecond(health);
            assertThat(shared.resolve("inbox/cluster-1.json")).exists();
            assertThat(deadLetters()).isZero();

            proxy.mend();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !node.process.isAlive());
            assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-1/manifest.json"))).path("status").asText())
                    .as(node.output()).isEqualTo("succeeded");
            node.awaitLine("The broker answers again", Duration.ofSeconds(30));
            assertThat(shared.resolve("inbox")).isEmptyDirectory();
            assertThat(deadLetters()).isZero();
            // said once each way, not what the listener container repeats every few seconds
            assertThat(count(node, "The broker (pipeline.cluster.broker-url) cannot be reached")).isEqualTo(1);
            assertThat(node.output()).doesNotContain("Could not refresh JMS Connection").doesNotContain("Setup of JMS message listener");
            assertThat(node.lines).filteredOn(l -> l.contains(" ERROR ")).isEmpty();
        }
    }

    @Test
    void should_pay_once_for_a_file_dropped_twice_and_a_message_sent_twice() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        // the same plan sent twice with one duplicate id (a node that died between the send and the file's removal):
        // the broker keeps one
        String plan = Files.readString(write(1, shared.resolve("plan-1.json")));
        try (var factory = new ActiveMQConnectionFactory(ClusterServices.BROKER_URL,
                ClusterServices.BROKER_USER, ClusterServices.BROKER_PASSWORD);
             var jms = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            for (int i = 0; i < 2; i++) {
                var message = jms.createBytesMessage();
                message.writeBytes(plan.getBytes(StandardCharsets.UTF_8));
                message.setStringProperty("JMSXGroupID", "cluster-1");
                message.setStringProperty("_AMQ_DUPL_ID", "same-send");
                message.setStringProperty("ScenePipelineFile", "cluster-1.json");
                jms.createProducer().send(jms.createQueue(services.queue), message);
            }
        }
        Processes.Run node = processes.jar(node("twice-", simulator), List.of());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !node.process.isAlive());
        // the same file dropped again once it is done, and under two names at once: each runs, from the journal
        drop(1);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(node, "plan=cluster-1 Pipeline succeeded") == 2 || !node.process.isAlive());
        Path inbox = shared.resolve("inbox");
        write(1, inbox.resolve(".a.tmp"));
        write(1, inbox.resolve(".b.tmp"));
        Files.move(inbox.resolve(".a.tmp"), inbox.resolve("copy-a.json"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(inbox.resolve(".b.tmp"), inbox.resolve("copy-b.json"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(node, "plan=cluster-1 Pipeline succeeded") == 4 || !node.process.isAlive());

        assertThat(count(node, "plan=cluster-1 Starting")).as(node.output()).isEqualTo(4);
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        assertThat(creates).hasSize(SCENES * 2);
        eachCreatedOnce(creates);
        assertThat(Processes.simulatorRequests(simulator).path("requests").path("elevenlabs.tts").asInt()).isEqualTo(SCENES);
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
    }

    /** Readiness in an outage answers from what the background probes found: within a second, five times running. */
    private static void assertAnswersWithinASecond(String health) throws Exception {
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            int status = status(health + "/observe/health/ready");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(status).isEqualTo(503);
            assertThat(ms).as("readiness answered in %d ms", ms).isLessThan(1000);
        }
    }
}

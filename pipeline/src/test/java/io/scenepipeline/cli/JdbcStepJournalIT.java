package io.scenepipeline.cli;

import io.scenepipeline.state.FinishedStep;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.state.PendingPrediction;
import io.scenepipeline.state.jdbc.Database;
import io.scenepipeline.state.jdbc.JdbcStepJournal;
import io.scenepipeline.state.jdbc.JournalSchema;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL journal's claims, against a real PostgreSQL: two nodes, one step, a lease that runs out. */
class JdbcStepJournalIT {

    private static final String KEY = "a".repeat(64);

    private ClusterServices services;
    private HikariDataSource dataSource;
    private Path artifacts;

    @BeforeEach
    void database() throws Exception {
        services = ClusterServices.require();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(ClusterServices.JDBC_URL + "?currentSchema=" + services.schema);
        config.setUsername(ClusterServices.JDBC_USER);
        config.setPassword(ClusterServices.JDBC_PASSWORD);
        dataSource = new HikariDataSource(config);
        Files.createDirectories(Path.of("target", "it-runs"));
        artifacts = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "artifacts-");
        assertThat(JournalSchema.ensure(new Database(dataSource, Duration.ofSeconds(10)))).isEqualTo(3);
        assertThat(JournalSchema.ensure(new Database(dataSource, Duration.ofSeconds(10)))).as("made once, found again").isEqualTo(3);
    }

    @AfterEach
    void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private JdbcStepJournal node(String name, Duration lease) {
        return new JdbcStepJournal(new Database(dataSource, Duration.ofSeconds(10)), artifacts, name, lease);
    }

    @Test
    void should_decide_a_plan_runs_outcome_once_whichever_node_asks_again() {
        JdbcStepJournal published = node("published", Duration.ofSeconds(30));
        JdbcStepJournal late = node("late", Duration.ofSeconds(30));

        assertThat(published.decide("sha:plan.json:1", "plan", "succeeded", 1.5)).isTrue();

        assertThat(late.outcome("sha:plan.json:1")).hasValue("succeeded by node published");
        assertThat(late.decide("sha:plan.json:1", "plan", "succeeded", 1.5)).as("published again").isFalse();
        assertThat(late.decide("sha:plan.json:1", "plan", "dead-lettered", 0.25)).as("dead-lettered beside the outbox").isFalse();
        late.undecide("sha:plan.json:1");
        assertThat(late.outcome("sha:plan.json:1")).as("only the deciding node takes its decision back").isPresent();
        assertThat(late.decide("sha:plan.json:2", "plan", "succeeded", 1.5)).as("the same file dropped again: a new run").isTrue();
        published.undecide("sha:plan.json:1");
        assertThat(late.decide("sha:plan.json:1", "plan", "dead-lettered", 0.25)).as("after the publish failed to write").isTrue();
    }

    @Test
    void should_fence_a_node_whose_claim_was_taken_over_after_its_lease_ran_out() throws Exception {
        JdbcStepJournal stale = node("stale", Duration.ofMillis(300));
        JdbcStepJournal fresh = node("fresh", Duration.ofSeconds(30));
        stale.claim(KEY);
        stale.pending(new PendingPrediction(KEY, 1L, "p-1", 2L, null));

        // the stale node stands still: no renewal; once its lease has run out the other node takes the step over
        await().atMost(Duration.ofSeconds(10)).until(() -> services.count(
                "SELECT count(*) FROM journal_claims WHERE lease_until < now()") == 1);
        fresh.claim(KEY);
        assertThat(services.count("SELECT epoch FROM journal_claims")).isEqualTo(2);
        assertThat(fresh.pending(KEY)).as("the prediction the stale node created, for the new node to resume")
                .hasValueSatisfying(p -> assertThat(p.predictionId()).isEqualTo("p-1"));

        assertThatThrownBy(() -> stale.checkClaim(KEY)).isInstanceOf(ClaimLostException.class);
        Path output = Files.writeString(artifacts.resolveSibling(artifacts.getFileName() + "-out.png"), "stale image");
        assertThatThrownBy(() -> stale.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p-1", null, null, 1, 1, null, null), output))
                .isInstanceOf(ClaimLostException.class).hasMessageContaining("node fresh took this step over (epoch 2");
        assertThat(fresh.find(KEY)).as("nothing recorded by the stale node").isEmpty();

        fresh.checkClaim(KEY);
        fresh.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p-1", null, null, 1, 1, null, null), output);
        assertThat(stale.find(KEY)).hasValueSatisfying(e -> assertThat(e.predictionId()).isEqualTo("p-1"));
        assertThat(services.count("SELECT count(*) FROM journal_claims")).as("released with the record").isZero();
        assertThat(services.count("SELECT count(*) FROM journal_predictions")).isZero();

        // the stale node's poll of the same prediction ends after the other node recorded it: its entry stays
        String recorded = fresh.find(KEY).orElseThrow().sha256();
        Path late = Files.writeString(artifacts.resolveSibling(artifacts.getFileName() + "-late.png"), "late stale image");
        assertThatThrownBy(() -> stale.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p-1", null, null, 1, 1, null, null), late))
                .isInstanceOf(ClaimLostException.class).hasMessageContaining("finished it");
        assertThat(fresh.find(KEY)).hasValueSatisfying(e -> assertThat(e.sha256()).isEqualTo(recorded));
    }

    @Test
    void should_make_a_second_node_wait_while_the_first_holds_and_renews_a_step_then_take_it_when_released() throws Exception {
        JdbcStepJournal first = node("first", Duration.ofMillis(600));
        JdbcStepJournal second = node("second", Duration.ofMillis(600));
        first.claim(KEY);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> second.claim(KEY));
        // the first node renews its claim (as its lease thread does, every third of the lease) for over ten leases
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(200)).until(() -> {
            first.renewLeases();
            return !waiting.isDone();
        });
        assertThat(services.count("SELECT epoch FROM journal_claims")).as("still the first node's").isEqualTo(1);

        first.release(KEY);
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(services.count("SELECT epoch FROM journal_claims")).as("a released step taken afresh").isEqualTo(1);
        second.checkClaim(KEY);
    }

    @Test
    void should_ignore_a_row_forged_to_point_outside_the_artifacts() throws Exception {
        JdbcStepJournal journal = node("node-a", Duration.ofSeconds(30));
        Path output = Files.writeString(artifacts.resolveSibling(artifacts.getFileName() + "-out.wav"), "audio");
        journal.claim(KEY);
        io.scenepipeline.state.StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-speech", "elevenlabs", null, null,
                "req", null, 1, 10, null, null), output);
        Path secrets = Files.writeString(artifacts.resolveSibling(artifacts.getFileName() + "-application.properties"), "elevenlabs.api-key=secret\n");
        // someone with rights on the database points the row at another file, with that file's own hash and size
        String forged = io.scenepipeline.support.Json.MAPPER.writeValueAsString(new io.scenepipeline.state.StepEntry(KEY, entry.step(),
                entry.provider(), null, "../" + secrets.getFileName(), io.scenepipeline.state.ArtifactStore.hash(secrets),
                Files.size(secrets), null, "req", null, 1, 10, entry.finishedAt(), null, null));
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("UPDATE journal_steps SET entry = ? WHERE step_key = ?")) {
            s.setString(1, forged);
            s.setString(2, KEY);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        assertThat(journal.find(KEY)).isEmpty();
    }
}

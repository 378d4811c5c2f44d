package io.scenepipeline.cli;

import io.scenepipeline.state.jdbc.Database;
import io.scenepipeline.state.jdbc.JdbcFileClaims;
import io.scenepipeline.state.jdbc.JournalSchema;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared inbox's claims against a real PostgreSQL: one node per file, however close together two nodes ask. */
class JdbcFileClaimsIT {

    private HikariDataSource dataSource;

    @BeforeEach
    void database() throws Exception {
        ClusterServices services = ClusterServices.require();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(ClusterServices.JDBC_URL + "?currentSchema=" + services.schema);
        config.setUsername(ClusterServices.JDBC_USER);
        config.setPassword(ClusterServices.JDBC_PASSWORD);
        dataSource = new HikariDataSource(config);
        JournalSchema.ensure(new Database(dataSource, Duration.ofSeconds(10)));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void should_give_a_file_to_exactly_one_of_two_nodes_that_ask_at_the_same_instant() {
        JdbcFileClaims one = claims(Duration.ofSeconds(30));
        JdbcFileClaims two = claims(Duration.ofSeconds(30));
        int both = 0;
        int neither = 0;

        for (int i = 0; i < 200; i++) {
            String file = "/inbox/plan-" + i + ".json@1:2";
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> ask(one, file, together));
            CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> ask(two, file, together));
            both += a.join() && b.join() ? 1 : 0;
            neither += !a.join() && !b.join() ? 1 : 0;
        }

        assertThat(both).as("files both nodes got").isZero();
        assertThat(neither).as("files neither node got").isZero();
    }

    @Test
    void should_take_over_a_dead_nodes_claim_once_it_is_no_longer_renewed_but_never_a_renewed_one() {
        JdbcFileClaims dead = claims(Duration.ofMillis(600));
        JdbcFileClaims alive = claims(Duration.ofMillis(600));
        JdbcFileClaims other = claims(Duration.ofMillis(600));
        assertThat(dead.claim("/inbox/a.json@1:2")).isTrue();
        assertThat(alive.claim("/inbox/b.json@1:2")).isTrue();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            alive.renewLeases();
            return other.claim("/inbox/a.json@1:2");
        });
        assertThat(other.claim("/inbox/b.json@1:2")).as("a renewed claim").isFalse();
        other.release("/inbox/b.json@1:2");
        assertThat(other.claim("/inbox/b.json@1:2")).as("another node's claim is not given back by this one").isFalse();
    }

    private JdbcFileClaims claims(Duration lease) {
        return new JdbcFileClaims(new Database(dataSource, Duration.ofSeconds(10)), lease);
    }

    private static boolean ask(JdbcFileClaims claims, String file, CyclicBarrier together) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return claims.claim(file);
    }
}

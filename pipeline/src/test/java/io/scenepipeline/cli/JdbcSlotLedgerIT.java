package io.scenepipeline.cli;

import io.scenepipeline.state.jdbc.Database;
import io.scenepipeline.state.jdbc.JdbcSlotLedger;
import io.scenepipeline.state.jdbc.JournalSchema;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL slot ledger against a real PostgreSQL, reached through a relay the test cuts and mends. */
class JdbcSlotLedgerIT {

    private static final String POOL = "facerig http://127.0.0.1:1";

    private ClusterServices services;
    private TcpProxy proxy;
    private HikariDataSource dataSource;

    @BeforeEach
    void database() throws Exception {
        services = ClusterServices.require();
        URI database = URI.create(ClusterServices.JDBC_URL.replace("jdbc:", ""));
        proxy = new TcpProxy(database.getHost(), database.getPort());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + database.getPath() + "?currentSchema=" + services.schema);
        config.setUsername(ClusterServices.JDBC_USER);
        config.setPassword(ClusterServices.JDBC_PASSWORD);
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        dataSource = new HikariDataSource(config);
        assertThat(JournalSchema.ensure(new Database(dataSource, Duration.ofSeconds(10)))).isEqualTo(3);
    }

    @AfterEach
    void close() throws Exception {
        if (dataSource != null) {
            dataSource.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void should_grant_a_pools_first_slot_once_the_database_is_back_after_it_was_gone_at_the_first_ask() throws Exception {
        JdbcSlotLedger ledger = new JdbcSlotLedger(new Database(dataSource, Duration.ofSeconds(10)), "node", Duration.ofSeconds(30));
        proxy.cut();
        assertThat(ledger.tryTake(POOL, 1)).as("no slot while the database is gone").isFalse();

        proxy.mend();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> ledger.tryTake(POOL, 1));
        assertThat(ledger.tryTake(POOL, 1)).as("one call at a time").isFalse();
        assertThat(services.count("SELECT count(*) FROM journal_slots WHERE owner = 'node'")).isEqualTo(1);
        ledger.give(POOL);
        assertThat(ledger.tryTake(POOL, 1)).as("given back, taken again").isTrue();
    }
}

package io.scenepipeline.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.fail;

/**
 * The PostgreSQL and ActiveMQ Artemis the cluster ITs run against, as {@code .ci/cluster-services} starts them (or as
 * {@code CLUSTER_JDBC_URL}, {@code CLUSTER_BROKER_URL} and their users say). Each test gets a schema and a queue of
 * its own. Without them the cluster ITs are skipped, except under {@code REQUIRE_CLUSTER=1} (CI), where they fail.
 */
public final class ClusterServices {

    public static final String JDBC_URL = env("CLUSTER_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/scene_pipeline");
    public static final String JDBC_USER = env("CLUSTER_JDBC_USER", "scene_pipeline");
    public static final String JDBC_PASSWORD = env("CLUSTER_JDBC_PASSWORD", "journal-ci-password");
    public static final String BROKER_URL = env("CLUSTER_BROKER_URL", "tcp://127.0.0.1:61616");
    public static final String BROKER_USER = env("CLUSTER_BROKER_USER", "scene-pipeline");
    public static final String BROKER_PASSWORD = env("CLUSTER_BROKER_PASSWORD", "broker-ci-password");

    /** This test's schema and queue. */
    public final String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public final String queue = "it." + schema;

    /** Skips (or, under REQUIRE_CLUSTER=1, fails) when the servers are not there; makes this test's schema. */
    public static ClusterServices require() throws SQLException {
        String missing = null;
        if (!listening(BROKER_URL)) {
            missing = "no ActiveMQ Artemis on " + BROKER_URL;
        } else if (!listening(JDBC_URL.replace("jdbc:", ""))) {
            missing = "no PostgreSQL on " + JDBC_URL;
        }
        if (missing != null) {
            if ("1".equals(System.getenv("REQUIRE_CLUSTER"))) {
                fail(missing + " (run .ci/cluster-services)");
            }
            Assumptions.abort(missing + ": run .ci/cluster-services to run the cluster tests");
        }
        ClusterServices services = new ClusterServices();
        try (Connection c = DriverManager.getConnection(JDBC_URL, JDBC_USER, JDBC_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + services.schema);
        }
        return services;
    }

    /** The settings a node needs for this test's schema and queue. */
    public List<String> nodeSettings() {
        return List.of("pipeline.cluster.broker-url=" + BROKER_URL, "pipeline.cluster.broker-user=" + BROKER_USER,
                "pipeline.cluster.broker-password=" + BROKER_PASSWORD, "pipeline.cluster.queue=" + queue,
                "pipeline.journal.jdbc-url=" + JDBC_URL + "?currentSchema=" + schema,
                "pipeline.journal.jdbc-user=" + JDBC_USER, "pipeline.journal.jdbc-password=" + JDBC_PASSWORD);
    }

    /** Runs a query in this test's schema; returns the first column of the first row. */
    public long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC_URL + "?currentSchema=" + schema, JDBC_USER, JDBC_PASSWORD);
             Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean listening(String url) {
        URI uri = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

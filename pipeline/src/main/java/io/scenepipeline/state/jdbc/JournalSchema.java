package io.scenepipeline.state.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The journal's tables, created at start when absent (by one node at a time: an advisory lock), with their version in
 * {@code scene_pipeline_schema}. A database of a newer version than this build knows is refused.
 */
public final class JournalSchema {

    /** The version these statements make. */
    static final int VERSION = 3;

    private static final long LOCK = 0x5ce9e_901L;

    private static final String[] V1 = {
        "CREATE TABLE IF NOT EXISTS scene_pipeline_schema (version INT NOT NULL)",
        // a finished step: its StepEntry as JSON; used_at drives pipeline.journal-retention
        "CREATE TABLE IF NOT EXISTS journal_steps (step_key CHAR(64) PRIMARY KEY, entry TEXT NOT NULL,"
                + " used_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        // a Replicate prediction started but not finished: its PendingPrediction as JSON
        "CREATE TABLE IF NOT EXISTS journal_predictions (step_key CHAR(64) PRIMARY KEY, prediction TEXT NOT NULL,"
                + " updated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        // the node paying for a step, until its lease ends; epoch grows with each node that takes it over
        "CREATE TABLE IF NOT EXISTS journal_claims (step_key CHAR(64) PRIMARY KEY, owner TEXT NOT NULL, epoch BIGINT NOT NULL,"
                + " lease_until TIMESTAMPTZ NOT NULL)",
        // account-wide limits: a pool's slots (a face_rig server's calls, ElevenLabs' concurrent requests), held by a node
        // until it gives them back or its lease ends; and the uses of a rate (Replicate's creates per minute)
        "CREATE TABLE IF NOT EXISTS journal_slots (pool TEXT NOT NULL, slot INT NOT NULL, owner TEXT, lease_until TIMESTAMPTZ,"
                + " PRIMARY KEY (pool, slot))",
        "CREATE TABLE IF NOT EXISTS journal_uses (pool TEXT NOT NULL, used_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        "CREATE INDEX IF NOT EXISTS journal_uses_by_time ON journal_uses (pool, used_at)",
        // the inbox's claims on plan files (Camel's JDBC idempotent repository; file paths can be long)
        "CREATE TABLE IF NOT EXISTS CAMEL_MESSAGEPROCESSED (processorName VARCHAR(255) NOT NULL, messageId VARCHAR(4096) NOT NULL,"
                + " createdAt TIMESTAMP NOT NULL, PRIMARY KEY (processorName, messageId))",
    };

    /**
     * Version 2: an account's rates (Replicate's creates and other requests per minute) paced for all nodes; each plan
     * run's outcome, decided once (a second outcome for the same run is refused).
     */
    private static final String[] V2 = {
        "CREATE TABLE IF NOT EXISTS journal_paces (pool TEXT PRIMARY KEY, tat TIMESTAMPTZ NOT NULL)",
        "CREATE TABLE IF NOT EXISTS journal_outcomes (run_id TEXT PRIMARY KEY, plan_id TEXT NOT NULL, outcome TEXT NOT NULL,"
                + " node TEXT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0, decided_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    };

    /**
     * Version 3: what the operator console shares across the nodes: the providers paused, the cancels asked of a plan
     * running on another node, and each node's running plans as the console shows them.
     */
    private static final String[] V3 = {
        "CREATE TABLE IF NOT EXISTS console_pauses (provider TEXT PRIMARY KEY, paused_by TEXT NOT NULL,"
                + " paused_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        "CREATE TABLE IF NOT EXISTS console_cancels (plan_id TEXT PRIMARY KEY, canceled_by TEXT NOT NULL,"
                + " asked_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        "CREATE TABLE IF NOT EXISTS console_live (node TEXT NOT NULL, plan_id TEXT NOT NULL, summary TEXT NOT NULL, view TEXT,"
                + " updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (node, plan_id))",
    };

    private JournalSchema() {
    }

    /** Creates what is missing; returns the version found or made. */
    public static int ensure(Database database) {
        return database.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                for (String ddl : V1) {
                    s.execute(ddl);
                }
                for (String ddl : V2) {
                    s.execute(ddl);
                }
                for (String ddl : V3) {
                    s.execute(ddl);
                }
                Integer found = version(c);
                if (found == null) {
                    s.execute("INSERT INTO scene_pipeline_schema (version) VALUES (" + VERSION + ")");
                    return VERSION;
                }
                if (found < VERSION) {
                    s.execute("UPDATE scene_pipeline_schema SET version = " + VERSION);
                    return VERSION;
                }
                if (found > VERSION) {
                    throw new SQLException("the journal's tables are version " + found + ", newer than this scene-pipeline knows ("
                            + VERSION + "): run the newer scene-pipeline", "42000");
                }
                return found;
            }
        });
    }

    private static Integer version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(version) FROM scene_pipeline_schema")) {
            rs.next();
            int v = rs.getInt(1);
            return rs.wasNull() ? null : v;
        }
    }
}

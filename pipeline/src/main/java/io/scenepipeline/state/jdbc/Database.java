package io.scenepipeline.state.jdbc;

import io.scenepipeline.support.Causes;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The journal's PostgreSQL database, used in short transactions. While it cannot be reached, a piece of work waits for
 * it (up to {@code pipeline.journal.outage-timeout}) instead of failing: the step that needed it, and so its paid
 * call, waits too. Logged once when it goes and once when it is back; {@link #reachable()} feeds readiness.
 */
public final class Database {

    private static final Logger LOG = Logs.of(Database.class);

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Duration outageTimeout;
    private volatile boolean reachable = true;

    public Database(DataSource dataSource, Duration outageTimeout) {
        this.dataSource = dataSource;
        this.outageTimeout = outageTimeout;
    }

    public boolean reachable() {
        return reachable;
    }

    /** Runs {@code work} in a transaction, committed when it returns; waits out an outage. */
    public <T> T inTransaction(Work<T> work) {
        long giveUpAt = System.nanoTime() + outageTimeout.toNanos();
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    back();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (isContention(e)) {
                    // another node's transaction held a row past lock_timeout, or a deadlock was broken: again
                    continue;
                }
                if (!isOutage(e)) {
                    throw new JournalException("the journal's database refused a statement: " + e.getMessage(), e);
                }
                gone(e);
                if (System.nanoTime() > giveUpAt) {
                    throw new JournalException("the journal's database (pipeline.journal.jdbc-url) has been unreachable for "
                            + outageTimeout.toSeconds() + " s (pipeline.journal.outage-timeout): " + e.getMessage(), e);
                }
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    throw new JournalException("stopped while waiting for the journal's database", e);
                }
            }
        }
    }

    /** Runs {@code work} in a transaction once, without waiting out an outage (the caller tries again itself). */
    public <T> T once(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (isOutage(e)) {
                gone(e);
            }
            throw new JournalException("the journal's database: " + e.getMessage(), e);
        }
    }

    /** Runs one statement with its arguments; returns the rows it changed. */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** Checks the database answers (readiness). */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            boolean ok = c.isValid(2);
            if (ok) {
                back();
            }
            return ok;
        } catch (SQLException e) {
            gone(e);
            return false;
        }
    }

    private void gone(SQLException e) {
        if (reachable) {
            reachable = false;
            LOG.warn("The journal's database cannot be reached ({}); steps wait for it, no paid call is made meanwhile", e.getMessage());
        }
    }

    private void back() {
        if (!reachable) {
            reachable = true;
            LOG.info("The journal's database answers again");
        }
    }

    /**
     * A lost or refused connection (SQLState class 08, the server shutting down: 57P01-57P03, or ending a session that
     * stood still inside a transaction: 25P03), not a bad statement.
     */
    static boolean isOutage(SQLException e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P") || s.getSQLState().equals("25P03"))) {
                return true;
            }
        }
        return false;
    }

    /** A lock wait that timed out (55P03), a serialization failure (40001) or a deadlock (40P01): worth trying again. */
    static boolean isContention(SQLException e) {
        String state = e.getSQLState();
        return "55P03".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the transaction went with it
        }
    }
}

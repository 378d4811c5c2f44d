package io.scenepipeline.state.jdbc;

import io.scenepipeline.state.ArtifactJournal;
import io.scenepipeline.state.ArtifactStore;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.state.PendingPrediction;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The step journal of cluster mode: entries, pending predictions and claims in PostgreSQL ({@link JournalSchema}), the
 * artifacts in {@code pipeline.artifacts}, a folder every node mounts. A step is claimed by one node with a lease
 * ({@code pipeline.journal.lease}) that the node renews while it works; a node that takes over a step whose lease ran out
 * raises its epoch, so the node that stood still can neither pay for it ({@link #checkClaim}) nor record it.
 */
public final class JdbcStepJournal extends ArtifactJournal {

    private static final Logger LOG = Logs.of(JdbcStepJournal.class);

    private final Database db;
    private final String node;
    private final Duration lease;
    /** Steps this node holds, with the epoch it holds them at. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    /**
     * @param node  this node's name in the claims (unique per process)
     * @param lease how long a claim lasts unless renewed ({@link #renewLeases} runs well within it)
     */
    public JdbcStepJournal(Database db, Path artifacts, String node, Duration lease) {
        super(new ArtifactStore(artifacts));
        this.db = db;
        this.node = node;
        this.lease = lease;
    }

    @Override
    public Optional<StepEntry> find(String key) {
        String json = db.inTransaction(c -> text(c, "UPDATE journal_steps SET used_at = now() WHERE step_key = ? RETURNING entry", key));
        return json == null ? Optional.empty() : artifacts.usable(key, () -> Json.MAPPER.readValue(json, StepEntry.class));
    }

    @Override
    protected StepEntry write(StepEntry entry) throws IOException {
        String json = Json.write(entry);
        Long epoch = held.get(entry.key());
        db.inTransaction(c -> {
            fence(c, entry.key(), epoch, "record");
            Database.update(c, "INSERT INTO journal_steps (step_key, entry) VALUES (?, ?) ON CONFLICT (step_key) DO UPDATE"
                    + " SET entry = EXCLUDED.entry, used_at = now()", entry.key(), json);
            Database.update(c, "DELETE FROM journal_predictions WHERE step_key = ?", entry.key());
            Database.update(c, "DELETE FROM journal_claims WHERE step_key = ? AND owner = ?", entry.key(), node);
            return null;
        });
        held.remove(entry.key());
        return entry;
    }

    /** The first column of the first row {@code sql} gives for {@code key}, or null when it gives none. */
    private static String text(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Fails when another node holds {@code key}, this node held it at another {@code epoch} (null: this node never
     * claimed it, e.g. the assembly, which no node pays for), or its claim is gone; locks the claim row until the
     * transaction ends.
     */
    private void fence(Connection c, String key, Long epoch, String what) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT owner, epoch FROM journal_claims WHERE step_key = ? FOR UPDATE")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                boolean claimed = rs.next();
                if (claimed && (!node.equals(rs.getString(1)) || (epoch != null && rs.getLong(2) != epoch))) {
                    throw new ClaimLostException("Not " + what + "ed: node " + rs.getString(1) + " took this step over (epoch "
                            + rs.getLong(2) + (epoch == null ? "" : ", this node held epoch " + epoch) + ") while this node stood still past its lease");
                }
                if (!claimed && epoch != null) {
                    // only a holder deletes a claim: the node that took this step over has finished it already
                    throw new ClaimLostException("Not " + what + "ed: another node took this step over and finished it while this node"
                            + " stood still past its lease");
                }
            }
        }
    }

    @Override
    public Optional<PendingPrediction> pending(String key) {
        String json = db.inTransaction(c -> text(c, "SELECT prediction FROM journal_predictions WHERE step_key = ?", key));
        try {
            return json == null ? Optional.empty() : Optional.of(Json.MAPPER.readValue(json, PendingPrediction.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void pending(PendingPrediction prediction) {
        String json = Json.write(prediction);
        Long epoch = held.get(prediction.key());
        db.inTransaction(c -> {
            fence(c, prediction.key(), epoch, "journal");
            return Database.update(c, "INSERT INTO journal_predictions (step_key, prediction) VALUES (?, ?) ON CONFLICT (step_key)"
                    + " DO UPDATE SET prediction = EXCLUDED.prediction, updated_at = now()", prediction.key(), json);
        });
    }

    @Override
    public void forgetPending(String key) {
        db.inTransaction(c -> Database.update(c, "DELETE FROM journal_predictions WHERE step_key = ?", key));
    }

    @Override
    public boolean decide(String runId, String planId, String outcome, double costUsd) {
        return db.inTransaction(c -> Database.update(c, "INSERT INTO journal_outcomes (run_id, plan_id, outcome, node, cost_usd)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING", runId, planId, outcome, node, costUsd) == 1);
    }

    @Override
    public Map<String, double[]> outcomes() {
        return db.once(c -> {
            Map<String, double[]> out = new java.util.TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT outcome, count(*), sum(cost_usd) FROM journal_outcomes GROUP BY outcome");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3)});
                }
            }
            return out;
        });
    }

    @Override
    public void undecide(String runId) {
        db.inTransaction(c -> Database.update(c, "DELETE FROM journal_outcomes WHERE run_id = ? AND node = ?", runId, node));
    }

    @Override
    public Optional<String> outcome(String runId) {
        return Optional.ofNullable(db.inTransaction(c -> text(c, "SELECT outcome || ' by node ' || node FROM journal_outcomes WHERE run_id = ?", runId)));
    }

    @Override
    public int purge(Duration retention) throws IOException {
        Set<String> kept = new HashSet<>();
        int removed = db.inTransaction(c -> {
            int n = Database.update(c, "DELETE FROM journal_steps WHERE used_at < now() - ? * interval '1 second'", retention.toSeconds());
            Database.update(c, "DELETE FROM journal_predictions WHERE updated_at < now() - interval '1 day'");
            Database.update(c, "DELETE FROM journal_claims WHERE lease_until < now() - interval '1 hour'");
            Database.update(c, "DELETE FROM journal_outcomes WHERE decided_at < now() - ? * interval '1 second'", retention.toSeconds());
            try (PreparedStatement s = c.prepareStatement("SELECT entry FROM journal_steps"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        kept.add(Json.MAPPER.readValue(rs.getString(1), StepEntry.class).artifact());
                    } catch (IOException unreadable) {
                        // its artifact goes; the entry then reads as damaged and the step runs again
                    }
                }
            }
            return n;
        });
        // other nodes store artifacts meanwhile, and record them a moment later: only day-old orphans go
        artifacts.retainOnly(kept, Instant.now().minus(Duration.ofDays(1)));
        return removed;
    }

    /**
     * Claims {@code key} for this node. While another node holds it and renews it (it pays for the same inputs in
     * another plan, or for this plan before it was handed on), this waits, without a deadline of its own: that node's
     * call has its own deadlines, and when it ends the step is either journaled (and reused here) or released (and
     * paid here); a node that dies stops renewing, and its claim is taken over once its lease ran out.
     */
    @Override
    public void claim(String key) {
        boolean said = false;
        while (true) {
            String[] holder = {null};
            Long epoch = db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO journal_claims (step_key, owner, epoch, lease_until)"
                        + " VALUES (?, ?, 1, now() + ? * interval '1 millisecond') ON CONFLICT (step_key) DO UPDATE SET"
                        + " epoch = CASE WHEN journal_claims.owner = EXCLUDED.owner THEN journal_claims.epoch ELSE journal_claims.epoch + 1 END,"
                        + " owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until"
                        + " WHERE journal_claims.owner = EXCLUDED.owner OR journal_claims.lease_until < now() RETURNING epoch")) {
                    s.setString(1, key);
                    s.setString(2, node);
                    s.setLong(3, lease.toMillis());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            return rs.getLong(1);
                        }
                    }
                }
                holder[0] = text(c, "SELECT owner FROM journal_claims WHERE step_key = ?", key);
                return null;
            });
            if (epoch != null) {
                held.put(key, epoch);
                return;
            }
            if (!said) {
                LOG.info("Waiting for node {}, which pays for a step with the same inputs (key {}…): its output is reused here",
                        holder[0], key.substring(0, Math.min(12, key.length())));
                said = true;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new JournalException("stopped while waiting for node " + holder[0] + " to finish a step", null);
            }
        }
    }

    @Override
    public void checkClaim(String key) {
        Long epoch = held.get(key);
        if (epoch == null) {
            claim(key);
            return;
        }
        int renewed = db.inTransaction(c -> Database.update(c, "UPDATE journal_claims SET lease_until = now() + ? * interval '1 millisecond'"
                + " WHERE step_key = ? AND owner = ? AND epoch = ?", lease.toMillis(), key, node, epoch));
        if (renewed == 0) {
            throw new ClaimLostException("Not paid for: another node took this step over while this node stood still past its lease");
        }
    }

    @Override
    public void release(String key) {
        Long epoch = held.remove(key);
        if (epoch == null) {
            return;
        }
        try {
            db.once(c -> Database.update(c, "DELETE FROM journal_claims WHERE step_key = ? AND owner = ? AND epoch = ?", key, node, epoch));
        } catch (RuntimeException e) {
            // the database is gone or the node is stopping: the lease ends the claim, and it is not renewed any more
            LOG.debug("Claim on {} not given back ({}); its lease ends it", key, e.getMessage());
        }
    }

    /** Extends the lease of every step this node holds; run every third of a lease. */
    public void renewLeases() {
        if (held.isEmpty()) {
            return;
        }
        String[] keys = held.keySet().toArray(String[]::new);
        try {
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE journal_claims SET lease_until = now() + ? * interval '1 millisecond'"
                        + " WHERE owner = ? AND step_key = ANY (?)")) {
                    s.setLong(1, lease.toMillis());
                    s.setString(2, node);
                    s.setArray(3, c.createArrayOf("text", keys));
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            if (db.reachable()) {
                LOG.warn("Could not renew this node's claims on {} steps: {}", keys.length, e.getMessage());
            } else {
                // the database is gone: "The journal's database cannot be reached" says so once
                LOG.debug("Could not renew this node's claims on {} steps: {}", keys.length, e.getMessage());
            }
        }
    }

    public Duration lease() {
        return lease;
    }
}

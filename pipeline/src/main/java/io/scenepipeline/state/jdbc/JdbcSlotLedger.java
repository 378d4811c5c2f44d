package io.scenepipeline.state.jdbc;

import io.scenepipeline.state.SlotLedger;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account-wide limits of cluster mode in PostgreSQL: a pool's slots are rows one node at a time holds, with a lease
 * renewed while it works (a node that dies loses them when the lease ends); a rate is one row per pool holding its
 * theoretical arrival time, advanced atomically by each turn. A database that does not answer counts as "all held": nothing is called
 * beyond the limit, the caller tries again shortly.
 */
public final class JdbcSlotLedger implements SlotLedger {

    private static final Logger LOG = Logs.of(JdbcSlotLedger.class);

    private final Database db;
    private final String node;
    private final Duration lease;
    /** Slots this node holds, by pool. */
    private final Map<String, Deque<Integer>> held = new ConcurrentHashMap<>();
    private final Set<String> made = ConcurrentHashMap.newKeySet();

    public JdbcSlotLedger(Database db, String node, Duration lease) {
        this.db = db;
        this.node = node;
        this.lease = lease;
    }

    @Override
    public boolean tryTake(String pool, int capacity) {
        String rows = pool + "/" + capacity;
        try {
            Integer slot = db.once(c -> {
                if (!made.contains(rows)) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO journal_slots (pool, slot) SELECT ?, g FROM"
                            + " generate_series(1, ?) g ON CONFLICT DO NOTHING")) {
                        s.setString(1, pool);
                        s.setInt(2, capacity);
                        s.executeUpdate();
                    }
                }
                try (PreparedStatement s = c.prepareStatement("UPDATE journal_slots SET owner = ?, lease_until = now() + ? * interval '1 millisecond'"
                        + " WHERE (pool, slot) = (SELECT pool, slot FROM journal_slots WHERE pool = ? AND slot <= ?"
                        + " AND (owner IS NULL OR lease_until < now()) ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING slot")) {
                    s.setString(1, node);
                    s.setLong(2, lease.toMillis());
                    s.setString(3, pool);
                    s.setInt(4, capacity);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : null;
                    }
                }
            });
            // the pool's rows are there once that transaction committed (not before: a database cut off mid-way
            // would leave the pool without rows, and its slots never granted)
            made.add(rows);
            if (slot == null) {
                return false;
            }
            held.computeIfAbsent(pool, p -> new ArrayDeque<>()).push(slot);
            return true;
        } catch (RuntimeException e) {
            LOG.debug("No slot of {} from the database: {}", pool, e.getMessage());
            return false;
        }
    }

    @Override
    public void give(String pool) {
        Deque<Integer> slots = held.get(pool);
        Integer slot;
        synchronized (this) {
            slot = slots == null ? null : slots.poll();
        }
        if (slot == null) {
            return;
        }
        try {
            db.once(c -> Database.update(c, "UPDATE journal_slots SET owner = NULL, lease_until = NULL WHERE pool = ? AND slot = ? AND owner = ?",
                    pool, slot, node));
        } catch (RuntimeException e) {
            // the lease ends it: the slot is free again for everyone then
            LOG.debug("Slot {} of {} not given back ({}); its lease ends it", slot, pool, e.getMessage());
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    /**
     * The rate's turn in one statement: the pool's row holds its theoretical arrival time ({@code tat}); a turn is
     * {@code max(tat, now) + interval}, and the caller waits until {@code tat - (burst - 1) * interval}.
     */
    @Override
    public long pace(String pool, long intervalMs, int burst) {
        try {
            return db.once(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO journal_paces (pool, tat) VALUES (?, clock_timestamp() + ? * interval '1 millisecond')"
                        + " ON CONFLICT (pool) DO UPDATE SET tat = greatest(journal_paces.tat, clock_timestamp()) + ? * interval '1 millisecond'"
                        + " RETURNING extract(epoch FROM (tat - clock_timestamp())) * 1000")) {
                    s.setString(1, pool);
                    s.setLong(2, intervalMs);
                    s.setLong(3, intervalMs);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        // the new tat less one interval is this turn's time; the burst lets it go that much sooner
                        return Math.max(0, Math.round(rs.getDouble(1)) - intervalMs - (long) (burst - 1) * intervalMs);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("No turn of {} from the database: {}", pool, e.getMessage());
            return 500;
        }
    }

    @Override
    public void holdPace(String pool, long ms) {
        try {
            db.once(c -> Database.update(c, "UPDATE journal_paces SET tat = greatest(tat, clock_timestamp() + ? * interval '1 millisecond')"
                    + " WHERE pool = ?", ms, pool));
        } catch (RuntimeException e) {
            LOG.debug("The hold of {} not kept in the database: {}", pool, e.getMessage());
        }
    }

    /** Extends the lease of every slot this node holds; run every third of a lease. */
    public void renewLeases() {
        if (held.values().stream().allMatch(Deque::isEmpty)) {
            return;
        }
        try {
            db.once(c -> Database.update(c, "UPDATE journal_slots SET lease_until = now() + ? * interval '1 millisecond' WHERE owner = ?",
                    lease.toMillis(), node));
        } catch (RuntimeException e) {
            // the database is gone: "The journal's database cannot be reached" says so once; the slots' leases lapse
            LOG.debug("Could not renew this node's slots: {}", e.getMessage());
        }
    }
}

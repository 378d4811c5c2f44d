package io.scenepipeline.state.jdbc;

import io.scenepipeline.state.Pauses;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator console shares across the cluster, in the journal's database: the providers' pauses
 * ({@code console_pauses}, read by every node before each call: kept here and refreshed by {@link #refresh}), the
 * cancels asked of a plan that runs on another node ({@code console_cancels}, picked up by the node that runs it), and
 * each node's running plans as the console shows them ({@code console_live}, published by each node every second; a
 * node that stops publishing drops out after {@link #STALE_MS}). A database that does not answer keeps the last pauses
 * known; an action that cannot be written says so.
 */
public final class JdbcConsoleState implements Pauses {

    private static final Logger LOG = Logs.of(JdbcConsoleState.class);
    /** A node's live views older than this are not shown (it stopped, died or stands still). */
    static final long STALE_MS = 5000;

    /** A running plan as published: its summary (JSON), and its whole view (JSON) or null to keep the last one. */
    public record Live(String summary, String view) {
    }

    /** A cancel asked of a plan: by whom, and when (only runs started before it are canceled). */
    public record CancelAsk(String planId, String by, Instant at) {
    }

    private final Database db;
    private final String node;
    private volatile Map<String, Pause> pauses = Map.of();

    public JdbcConsoleState(Database db, String node) {
        this.db = db;
        this.node = node;
    }

    public String node() {
        return node;
    }

    @Override
    public Pause of(String provider) {
        return pauses.get(Pauses.name(provider));
    }

    @Override
    public Map<String, Pause> all() {
        return pauses;
    }

    @Override
    public Pause pause(String provider, String by) {
        String name = Pauses.name(provider);
        db.once(c -> Database.update(c, "INSERT INTO console_pauses (provider, paused_by) VALUES (?, ?) ON CONFLICT DO NOTHING", name, by));
        refreshPauses();
        Pause p = pauses.get(name);
        return p != null ? p : new Pause(name, by, Instant.now());
    }

    @Override
    public boolean resume(String provider) {
        int n = db.once(c -> Database.update(c, "DELETE FROM console_pauses WHERE provider = ?", Pauses.name(provider)));
        refreshPauses();
        return n > 0;
    }

    /** Asks the node that runs {@code planId} to cancel it. */
    public void askCancel(String planId, String by) {
        db.once(c -> Database.update(c, "INSERT INTO console_cancels (plan_id, canceled_by) VALUES (?, ?) ON CONFLICT (plan_id)"
                + " DO UPDATE SET canceled_by = excluded.canceled_by, asked_at = now()", planId, by));
    }

    /**
     * Once a second on each node: publishes its running plans' views (plan id → JSON), takes back the ones that ended,
     * reads the pauses, and returns the cancels asked (older ones are forgotten after a minute).
     */
    public List<CancelAsk> refresh(Map<String, Live> views) {
        try {
            List<CancelAsk> asks = db.once(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO console_live (node, plan_id, summary, view) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (node, plan_id) DO UPDATE SET summary = excluded.summary,"
                        + " view = COALESCE(excluded.view, console_live.view), updated_at = now()")) {
                    for (Map.Entry<String, Live> v : views.entrySet()) {
                        s.setString(1, node);
                        s.setString(2, v.getKey());
                        s.setString(3, v.getValue().summary());
                        s.setString(4, v.getValue().view());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM console_live WHERE (node = ? AND NOT (plan_id = ANY (?)))"
                        + " OR updated_at < now() - interval '10 minutes'")) {
                    s.setString(1, node);
                    s.setArray(2, c.createArrayOf("text", views.keySet().toArray()));
                    s.executeUpdate();
                }
                Database.update(c, "DELETE FROM console_cancels WHERE asked_at < now() - interval '1 minute'");
                List<CancelAsk> found = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT plan_id, canceled_by, asked_at FROM console_cancels");
                     ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new CancelAsk(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                    }
                }
                return found;
            });
            refreshPauses();
            return asks;
        } catch (RuntimeException e) {
            LOG.debug("The console's state is not shared right now: {}", e.getMessage());
            return List.of();
        }
    }

    /** A cancel was carried out: it is not asked again. */
    public void canceled(String planId) {
        try {
            db.once(c -> Database.update(c, "DELETE FROM console_cancels WHERE plan_id = ?", planId));
        } catch (RuntimeException e) {
            LOG.debug("Cancel of {} not cleared: {}", planId, e.getMessage());
        }
    }

    /**
     * The other nodes' running plans (JSON), fresh within {@link #STALE_MS}: every plan's summary when {@code planId} is
     * null, else that plan's whole view (as published within the last few seconds; its summary until the first one is).
     */
    public List<String> othersLive(String planId) {
        return db.once(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + (planId == null ? "summary" : "COALESCE(view, summary)") + " FROM console_live"
                    + " WHERE node <> ? AND updated_at > now() - ? * interval '1 millisecond'" + (planId == null ? "" : " AND plan_id = ?"))) {
                s.setString(1, node);
                s.setLong(2, STALE_MS);
                if (planId != null) {
                    s.setString(3, planId);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1) != null) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
            return out;
        });
    }

    private void refreshPauses() {
        pauses = db.once(c -> {
            Map<String, Pause> found = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT provider, paused_by, paused_at FROM console_pauses");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(3);
                    found.put(rs.getString(1), new Pause(rs.getString(1), rs.getString(2), at.toInstant()));
                }
            }
            return Map.copyOf(found);
        });
    }
}

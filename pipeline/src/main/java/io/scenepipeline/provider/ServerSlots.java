package io.scenepipeline.provider;

import io.scenepipeline.state.SlotLedger;
import io.scenepipeline.support.Causes;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The calls a provider's servers can take at once, shared by every running plan: {@code perServer} slots on each
 * server. As a route step it holds a slot for the exchange on a usable server, waiting <em>without a thread</em> when
 * all are taken: the exchange is parked in a queue and continues on {@code continuations} once a slot frees, so
 * scenes waiting for face_rig never keep the visual chains from running. The first waiter gets the first free slot,
 * whichever server it is on, so no server idles while work waits. The slot stays the exchange's until
 * {@link #release} (a scene's upload and export go to one server), or until the exchange is done. A server that refuses or resets connections is set
 * aside for {@code setAside}: the exchange on it moves to another server at its next attempt, and no new work goes
 * there while another server is usable; a server that is only slow is never set aside.
 *
 * <p>Camel's load balancer EIP picks a target when a message is sent and has no notion of a free slot, so with
 * servers that take one call at a time it would queue a scene behind a busy server while another is idle; this is
 * the part Camel does not have.
 */
public final class ServerSlots extends AsyncProcessorSupport {

    private static final Logger LOG = Logs.of(ServerSlots.class);
    /** How soon a waiter tries again for a slot another process holds. */
    private static final long LEDGER_RETRY_MS = 100;

    private final String name;
    private final List<Server> servers = new ArrayList<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final long setAsideMs;
    private final Executor continuations;
    private final ScheduledExecutorService timer;
    private final SlotLedger ledger;
    private boolean retryScheduled;
    /** What the provider says it allows at once per server, if it said ({@link #limitTo}). */
    private int stated = Integer.MAX_VALUE;

    private static final class Server {
        final String url;
        final int capacity;
        int busy;
        long asideUntil;

        Server(String url, int capacity) {
            this.url = url;
            this.capacity = capacity;
        }

        boolean aside(long now) {
            return asideUntil > now;
        }
    }

    private record Waiter(Exchange exchange, AsyncCallback callback) {
    }

    /**
     * @param name          the pool, for log lines ({@code face_rig}); the chain's {@link HeldServers} knows its server by it
     * @param urls          the servers' base URLs
     * @param perServer     slots per server
     * @param setAside      how long a server that refused or reset a connection is avoided (zero: never)
     * @param continuations where a parked exchange continues once it has a slot
     */
    public ServerSlots(String name, List<String> urls, int perServer, Duration setAside, Executor continuations,
                       ScheduledExecutorService timer) {
        this(name, urls, perServer, setAside, continuations, timer, SlotLedger.LOCAL);
    }

    /** @param ledger where the slots are also taken when other processes share the servers (cluster mode) */
    public ServerSlots(String name, List<String> urls, int perServer, Duration setAside, Executor continuations,
                       ScheduledExecutorService timer, SlotLedger ledger) {
        this.ledger = ledger;
        this.name = name;
        urls.forEach(u -> servers.add(new Server(u, perServer)));
        this.setAsideMs = setAside.toMillis();
        this.continuations = continuations;
        this.timer = timer;
    }

    /** Holds a slot on a usable server (keeping the one held unless it was set aside); parks the exchange when none is free. */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        synchronized (this) {
            Server held = held(exchange);
            long now = System.currentTimeMillis();
            if (held == null || (held.aside(now) && !allAside(now))) {
                if (held != null) {
                    free(exchange, held);
                }
                Server free = pick(now);
                if (free == null) {
                    waiting.addLast(new Waiter(exchange, io.scenepipeline.run.Steps.waiting(exchange,
                            name.contains("face") ? "face_rig server" : "provider slot", null, callback)));
                    return false;
                }
                take(exchange, free);
            }
        }
        // outside the lock: the route goes on from here
        callback.done(true);
        return true;
    }

    /** The base URL of the server the exchange holds a slot on, or null (the routes call it there). */
    public String url(Exchange exchange) {
        return HeldServers.of(exchange).url(name);
    }

    /** Gives the exchange's slot back (at the end of its work, however it ended); the next waiter gets it. */
    public void release(Exchange exchange) {
        List<Waiter> go = new ArrayList<>();
        synchronized (this) {
            Server held = held(exchange);
            if (held == null) {
                return;
            }
            free(exchange, held);
            dispatch(go);
        }
        resume(go);
    }

    /**
     * A call on the exchange's server failed: a refused, reset or unanswered connection sets the server aside (a
     * timeout does not: a busy server is slow, not gone).
     */
    public void failed(Exchange exchange, Throwable failure) {
        if (setAsideMs <= 0 || !connectionLost(failure)) {
            return;
        }
        synchronized (this) {
            Server held = held(exchange);
            long now = System.currentTimeMillis();
            if (held == null || held.aside(now) || servers.size() == 1) {
                return;
            }
            held.asideUntil = now + setAsideMs;
            LOG.warn("{} server {} {}: set aside for {} s; its work goes to the other servers", name, held.url,
                    failure instanceof ConnectException ? "refuses connections" : "dropped a connection", setAsideMs / 1000);
        }
        timer.schedule(this::wake, setAsideMs, TimeUnit.MILLISECONDS);
    }

    private static boolean connectionLost(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof SocketTimeoutException) {
                return false;
            }
            if (t instanceof SocketException || t instanceof NoHttpResponseException
                    || t instanceof ConnectionClosedException) {
                return true;
            }
        }
        return false;
    }

    /** The provider stated its calls at once (ElevenLabs' {@code maximum-concurrent-requests}): the slots follow, never above the configured. */
    public void limitTo(int calls) {
        if (calls < 1) {
            return;
        }
        List<Waiter> go = new ArrayList<>();
        synchronized (this) {
            if (calls == stated) {
                return;
            }
            int configured = servers.get(0).capacity;
            if (calls < configured && calls < stated) {
                LOG.info("{} allows {} concurrent requests on this account: calling it {} at a time (of {} configured)",
                        name, calls, calls, configured);
            }
            stated = calls;
            dispatch(go);
        }
        resume(go);
    }

    private int capacity(Server s) {
        return Math.min(s.capacity, stated);
    }

    /** Exchanges waiting for a slot right now. */
    public synchronized int waitingCount() {
        return waiting.size();
    }

    private void wake() {
        List<Waiter> go = new ArrayList<>();
        synchronized (this) {
            retryScheduled = false;
            dispatch(go);
        }
        resume(go);
    }

    private void dispatch(List<Waiter> go) {
        long now = System.currentTimeMillis();
        for (Server free; !waiting.isEmpty() && (free = pick(now)) != null; ) {
            Waiter w = waiting.removeFirst();
            take(w.exchange(), free);
            go.add(w);
        }
    }

    private void resume(List<Waiter> go) {
        for (Waiter w : go) {
            continuations.execute(() -> w.callback().done(false));
        }
    }

    /**
     * The usable server with a free slot and the fewest busy ones (a set-aside server only when all are), its slot
     * taken in the ledger too. When other processes hold the ledger's slots, the waiters are tried again shortly:
     * another process frees its slots without telling this one.
     */
    private Server pick(long now) {
        boolean onlyAside = allAside(now);
        List<Server> free = servers.stream().filter(s -> s.busy < capacity(s) && (onlyAside || !s.aside(now)))
                .sorted(Comparator.comparingInt(s -> s.busy)).toList();
        for (Server s : free) {
            if (ledger.tryTake(pool(s), capacity(s))) {
                return s;
            }
        }
        if (!free.isEmpty() && !retryScheduled) {
            retryScheduled = true;
            timer.schedule(this::wake, LEDGER_RETRY_MS, TimeUnit.MILLISECONDS);
        }
        return null;
    }

    private String pool(Server s) {
        return name + " " + s.url;
    }

    private boolean allAside(long now) {
        return servers.stream().allMatch(s -> s.aside(now));
    }

    private void take(Exchange exchange, Server s) {
        s.busy++;
        HeldServers held = HeldServers.of(exchange);
        held.hold(name, s.url);
        // however the exchange ends (a call failed for good, a stop), its slot comes back
        if (held.guard(name)) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    release(done);
                }
            });
        }
    }

    private void free(Exchange exchange, Server s) {
        s.busy--;
        ledger.give(pool(s));
        HeldServers.of(exchange).free(name);
    }

    private Server held(Exchange exchange) {
        String url = url(exchange);
        if (url == null) {
            return null;
        }
        for (Server s : servers) {
            if (s.url.equals(url)) {
                return s;
            }
        }
        return null;
    }
}

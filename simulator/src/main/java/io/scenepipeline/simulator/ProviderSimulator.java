package io.scenepipeline.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that speaks Replicate, ElevenLabs and face_rig as docs/providers.md describes them, with real
 * media and fault injection ({@link Faults}). Used by {@code --simulate} and by tests; the pipeline only sees
 * base URLs.
 */
public final class ProviderSimulator implements AutoCloseable {

    private static final Logger LOG = Logs.of(ProviderSimulator.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SimulatorSettings settings;
    private final Faults faults;
    private final ReplicateSimulator replicate;
    private final ElevenLabsSimulator elevenLabs;
    private final FaceRigSimulator faceRig;
    /** face_rig servers beyond the first (which shares the main port), each on a port of its own. */
    private final List<HttpServer> extraFaceRigServers = new ArrayList<>();
    private final List<FaceRigSimulator> faceRigs = new ArrayList<>();
    private final InFlight inFlight = new InFlight();
    private volatile SimAccount.Limits account = new SimAccount.Limits(SimAccount.UNLIMITED);

    private ProviderSimulator(SimulatorSettings settings) throws IOException {
        this.settings = settings;
        this.faults = new Faults(settings.faultRate(), settings.stallMs());
        // the JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (40 ms on Linux) on every response. Real providers do not.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(threads);
        server.setExecutor(executor);
        String base = baseUrl();
        this.replicate = new ReplicateSimulator(base, settings, faults, () -> account);
        this.elevenLabs = new ElevenLabsSimulator(faults, settings, () -> account);
        this.faceRig = new FaceRigSimulator(faults, settings);
        faceRigs.add(faceRig);
        server.createContext("/", this::handle);
        for (int i = 2; i <= Math.max(1, settings.faceRigServers()); i++) {
            FaceRigSimulator rig = new FaceRigSimulator(faults, settings);
            HttpServer extra = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            extra.setExecutor(executor);
            String kind = "facerig " + i;
            extra.createContext("/", exchange -> handleFaceRig(rig, exchange, kind));
            faceRigs.add(rig);
            extraFaceRigServers.add(extra);
        }
    }

    private void handleFaceRig(FaceRigSimulator rig, HttpExchange exchange, String kind) throws IOException {
        // a health probe (the pipeline's start asks each server) is no call: the calls at once are what is measured
        Runnable answered = "/health".equals(exchange.getRequestURI().getPath()) ? () -> { } : inFlight.enter(kind);
        try {
            SimRequest req = new SimRequest(exchange, baseUrl());
            req.answering(answered);
            if (!rig.handle(req)) {
                req.json(404, Map.of("detail", "Not Found"));
            }
        } catch (SimRequest.SimulatedDisconnect e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("simulator error on {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        } finally {
            answered.run();
        }
    }

    /** The base URLs of the simulated face_rig servers, the first being {@link #baseUrl()}. */
    public List<String> faceRigUrls() {
        List<String> urls = new ArrayList<>(List.of(baseUrl()));
        extraFaceRigServers.forEach(x -> urls.add("http://" + x.getAddress().getAddress().getHostAddress() + ":" + x.getAddress().getPort()));
        return urls;
    }

    /** Stops a simulated face_rig server (1-based, not the first): its port refuses connections from now on. */
    public void stopFaceRig(int number) {
        if (number < 2 || number > faceRigs.size()) {
            throw new IllegalArgumentException("face_rig server " + number + " cannot be stopped on its own");
        }
        extraFaceRigServers.get(number - 2).stop(0);
    }

    /** The transcripts every simulated face_rig server's aligner was given, as the server decoded them. */
    public List<String> alignedTranscripts() {
        return faceRigs.stream().flatMap(r -> r.transcripts().stream()).toList();
    }

    /** Makes a simulated face_rig server (1-based) forget its uploaded audio, as a restarted server would. */
    public void forgetFaceRigAudio(int number) {
        faceRigs.get(number - 1).forgetAudio();
    }

    /** Requests each simulated face_rig server has served, by its base URL. */
    public Map<String, Map<String, Integer>> faceRigCounts() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        List<String> urls = faceRigUrls();
        for (int i = 0; i < faceRigs.size(); i++) {
            out.put(urls.get(i), faceRigs.get(i).counts());
        }
        return out;
    }

    public static ProviderSimulator start(SimulatorSettings settings) throws IOException {
        ProviderSimulator sim = new ProviderSimulator(settings);
        sim.server.start();
        sim.extraFaceRigServers.forEach(HttpServer::start);
        LOG.info("Provider simulator listening on {}{}", sim.baseUrl(), sim.faceRigs.size() == 1 ? ""
                : " (face_rig also on " + String.join(", ", sim.faceRigUrls().subList(1, sim.faceRigs.size())) + ")");
        return sim;
    }

    /** Enforces a provider account's limits from now on, as the real providers do (429 beyond them). */
    public void account(SimAccount limits) {
        this.account = new SimAccount.Limits(limits);
    }

    /** 429s the account's limits answered so far, by kind ({@code replicate.create}, {@code replicate.request}, {@code elevenlabs.tts}). */
    public Map<String, Integer> throttledCounts() {
        return account.throttled();
    }

    /** {@code http://127.0.0.1:<port>}: the base URL of all three providers. */
    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Requests served so far, by kind (e.g. {@code replicate.create}, {@code elevenlabs.tts}, {@code facerig.export}). */
    public Map<String, Integer> requestCounts() {
        Map<String, Integer> counts = new TreeMap<>(replicate.counts());
        counts.putAll(elevenLabs.counts());
        for (FaceRigSimulator rig : faceRigs) {
            rig.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
        }
        return counts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            SimRequest req = new SimRequest(exchange, baseUrl());
            if (settings.latencyMs() > 0) {
                sleep(settings.latencyMs());
            }
            if (req.path.equals("/_simulator/requests")) {
                req.json(200, Map.of("requests", requestCounts(), "creates_by_input", replicate.createsByInput(),
                        "facerig_servers", faceRigCounts(), "max_in_flight", inFlight.most(), "throttled", throttledCounts(),
                        "spoken_by_text", elevenLabs.spokenByText(), "fault_rate", faults.rate()));
                return;
            }
            if (req.path.equals("/_simulator/fault-rate") && req.method.equals("POST")) {
                // a fault burst from a test or a campaign: POST /_simulator/fault-rate?rate=0.3, and rate=0 to end it
                faults.rate(Double.parseDouble(req.query.getOrDefault("rate", "0")));
                req.json(200, Map.of("fault_rate", faults.rate()));
                return;
            }
            String kind = req.path.startsWith("/v1/text-to-speech/") ? "elevenlabs"
                    : req.path.startsWith("/v1/") || req.path.startsWith("/files/") ? null : "facerig 1";
            Runnable answered = kind == null || "/health".equals(req.path) ? () -> { } : inFlight.enter(kind);
            req.answering(answered);
            try {
                boolean handled = "elevenlabs".equals(kind) ? elevenLabs.handle(req) : kind == null ? replicate.handle(req) : faceRig.handle(req);
                if (!handled) {
                    req.json(404, Map.of("detail", "Not Found"));
                }
            } finally {
                answered.run();
            }
        } catch (SimRequest.SimulatedDisconnect e) {
            throw e; // the server drops the connection without (the rest of) a response
        } catch (RuntimeException e) {
            LOG.warn("simulator error on {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        replicate.close();
        server.stop(0);
        extraFaceRigServers.forEach(x -> x.stop(0));
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.scenepipeline.lifecycle;

import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.RunningPlans;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.AtomicFiles;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.SynchronizationAdapter;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A picked-up plan file becomes a run: its bytes read (a regular file only, never through a link, at most
 * {@code pipeline.max-plan-bytes}), validated, and given a staging folder. (Two files of one plan id never run at once:
 * the inbox route's throttle, keyed by plan id, sees to it.)
 */
public final class PlanIntake {

    private static final Logger LOG = Logs.of(PlanIntake.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    /** The plans queue's message headers: Artemis's group and duplicate-detection properties, and the file name. */
    static final String GROUP = "JMSXGroupID";
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    static final String FILE = "ScenePipelineFile";

    private final Path work;
    private final StepJournal journal;
    private final long maxPlanBytes;
    private final PlanParser parser;
    private final PipelineMetrics metrics;
    /** In-flight file name → plan id, for the lines a stop writes about the plans it leaves. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();
    private final Set<String> returned = ConcurrentHashMap.newKeySet();
    /**
     * Cluster mode: the run of each plan message this node is running, by run id. A broker that closed a silent node's
     * session hands its message back, maybe to this very node while its first delivery still runs: the second waits
     * until the first has ended the run, then drops it as a late delivery.
     */
    private final Map<String, CompletableFuture<Void>> runs = new ConcurrentHashMap<>();
    private final RunningPlans running;

    /**
     * @param work         {@code pipeline.work}
     * @param maxPlanBytes {@code pipeline.max-plan-bytes}
     * @param parser       the plan validation, with its limits
     */
    private static final String QUEUED_PREFIX = "message ";

    public PlanIntake(Path work, long maxPlanBytes, PlanParser parser, PipelineMetrics metrics, StepJournal journal) {
        this(work, maxPlanBytes, parser, metrics, journal, new RunningPlans());
    }

    /** @param running where the plans this process runs are listed (the console) */
    public PlanIntake(Path work, long maxPlanBytes, PlanParser parser, PipelineMetrics metrics, StepJournal journal,
                      RunningPlans running) {
        this.running = running;
        this.work = work;
        this.journal = journal;
        this.maxPlanBytes = maxPlanBytes;
        this.parser = parser;
        this.metrics = metrics;
    }

    /** The plan's file name as it was dropped (the in-flight copy may be renamed). */
    public static String fileName(Exchange exchange) {
        String consumed = exchange.getIn().getHeader("CamelFileNameConsumed", String.class);
        String name = consumed != null ? consumed : exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        return name == null ? null : Path.of(name).getFileName().toString();
    }

    /** Where the picked-up file is now (in {@code pipeline.work/inflight/}). */
    public static Path inflightFile(Exchange exchange) {
        GenericFile<?> file = exchange.getIn().getBody(GenericFile.class);
        if (file != null) {
            return Path.of(file.getAbsoluteFilePath());
        }
        String path = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        return path == null ? null : Path.of(path);
    }

    /** Reads and validates the picked-up file; the body becomes the list of scenes to split. */
    public void intake(Exchange exchange) throws IOException {
        Path file = inflightFile(exchange);
        byte[] bytes = PlanFile.read(file, fileName(exchange), maxPlanBytes);
        // the run: this file as dropped (a restart after a crash resumes the same run; a moved file keeps its time)
        start(exchange, fileName(exchange), bytes, file.getFileName().toString(), runId(bytes, fileName(exchange), file));
    }

    /** A plan run's id: the content's SHA-256, the file's name and its time (in cluster mode the broker's duplicate id). */
    private static String runId(byte[] bytes, String fileName, Path file) throws IOException {
        return StepKeys.sha256(bytes) + ":" + fileName + ":" + Files.getLastModifiedTime(file).toMillis();
    }

    /**
     * Cluster mode, at a node's inbox: reads and validates the file, and makes the body the message for the plans
     * queue: the file's bytes, grouped by plan id (two files of one plan never run at once on any two nodes), with a
     * duplicate id from the content, name and time of the file (a send repeated after a node died is dropped by the
     * broker; the same plan dropped again later is a new message).
     */
    public void enqueue(Exchange exchange) throws IOException {
        String fileName = fileName(exchange);
        Path file = inflightFile(exchange);
        byte[] bytes = PlanFile.read(file, fileName, maxPlanBytes);
        PlanDelivery delivery = PlanDelivery.of(exchange);
        delivery.bytes(bytes);
        ScenePlan plan = parser.parse(bytes, fileName);
        Message out = exchange.getIn();
        out.setHeader(GROUP, plan.planId());
        out.setHeader(DUPLICATE_ID, runId(bytes, fileName, file));
        out.setHeader(FILE, fileName);
        out.setBody(bytes);
        delivery.queuedLine("plan=" + plan.planId() + " Queued for the cluster: " + fileName + " (" + plan.scenes().size() + " scenes)");
    }

    /** Cluster mode, once the broker has the message: says so (the file leaves the inbox now). */
    public void queued(Exchange exchange) {
        LOG.info("{}", PlanDelivery.of(exchange).queuedLine());
    }

    /** Cluster mode, at a node that took a plan from the queue: the plan becomes a run, as {@link #intake} does. */
    public void intakeMessage(Exchange exchange) throws IOException {
        PlanDelivery.fromQueue(exchange);
        String fileName = exchange.getIn().getHeader(FILE, String.class);
        exchange.getIn().setHeader(Exchange.FILE_NAME_ONLY, fileName);
        String runId = exchange.getIn().getHeader(DUPLICATE_ID, String.class);
        start(exchange, fileName, exchange.getIn().getBody(byte[].class), QUEUED_PREFIX + exchange.getIn().getMessageId(), runId);
    }

    private void start(Exchange exchange, String fileName, byte[] bytes, String inflightName, String runId) throws IOException {
        PlanDelivery.of(exchange).bytes(bytes);
        ScenePlan plan = parser.parse(bytes, fileName);
        boolean queued = inflightName.startsWith(QUEUED_PREFIX);
        if (runId != null && queued) {
            awaitEarlierDelivery(exchange, runId, plan.planId());
        }
        if (!queued && inFlight.containsValue(plan.planId())) {
            // the inbox route's throttle (one exchange per plan id) holds it, without a thread, until the other is done
            LOG.info("plan={} Waiting: another file of this plan is in flight", plan.planId());
        }
        // cluster mode: the plan is this node's until it is published or dead-lettered; a node that stood still past
        // its lease loses it to the node the broker handed it to (the file journal has one process: nothing to take)
        String planKey = StepKeys.planKey(plan.planId());
        journal.claim(planKey);
        // asked once the plan is this node's: a node that held it (until it ended it) has released it by now
        Optional<String> decided = runId == null ? Optional.empty() : journal.outcome(runId);
        if (decided.isPresent()) {
            // a late delivery (this node stood still, or lost the broker, while another ended the run): nothing to do
            journal.release(planKey);
            LOG.info("plan={} Already ended ({}): this late delivery of {} is dropped", plan.planId(), decided.get(), fileName);
            exchange.setRouteStop(true);
            return;
        }
        Path staging = AtomicFiles.inside(work.resolve("staging"),
                Path.of(plan.planId() + "-" + STAMP.format(Instant.now())));
        Files.createDirectories(staging);
        PlanRun run = new PlanRun(plan, fileName, staging);
        run.runId(runId);
        exchange.setProperty(PlanRun.PROPERTY, run);
        metrics.planStarted();
        // each step counted in the metrics as it finishes
        run.onStepFinished(metrics::stepFinished);
        running.started(run);
        inFlight.put(inflightName, plan.planId());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                metrics.planLeft();
                running.ended(run);
                if (inflightName.startsWith(QUEUED_PREFIX) && (done.isFailed() || done.isRollbackOnly())
                        && (done.getContext().isStopping() || done.getContext().isStopped())) {
                    // a stop cut it off, and its message goes back to the queue
                    returned.add(plan.planId());
                }
                inFlight.remove(inflightName, plan.planId());
                journal.release(planKey);
            }
        });
        LOG.info("plan={} Starting \"{}\": {} scenes from {}", plan.planId(),
                plan.title() == null ? plan.planId() : plan.title(), plan.scenes().size(), fileName);
        exchange.getIn().setBody(plan.scenes());
    }

    /** Waits while this node runs an earlier delivery of the same run; the run is this delivery's until it is done. */
    private void awaitEarlierDelivery(Exchange exchange, String runId, String planId) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier;
        while ((earlier = runs.putIfAbsent(runId, mine)) != null) {
            LOG.info("plan={} Waiting: this node is still running an earlier delivery of this run", planId);
            try {
                earlier.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while an earlier delivery of plan " + planId + " ran", e);
            } catch (ExecutionException e) {
                // it only ever completes normally
            }
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                runs.remove(runId, mine);
                mine.complete(null);
            }

            @Override
            public int getOrder() {
                // after the plan's own end (its claim released), so the next delivery finds the run ended
                return org.apache.camel.Ordered.LOWEST;
            }
        });
    }

    /**
     * Cluster mode, once stopped: the plans from the plans queue that this node had started and did not finish, still
     * running or cut off by the stop (their messages go back to the queue).
     */
    public List<String> queuedUnfinished() {
        return Stream.concat(returned.stream(), inFlight.entrySet().stream().filter(e -> e.getKey().startsWith(QUEUED_PREFIX))
                .map(Map.Entry::getValue)).distinct().sorted().toList();
    }

    /** The plan id of a file in {@code pipeline.work/inflight/}, when this process started it. */
    public String planIdOf(String inflightName) {
        return inFlight.get(inflightName);
    }

}

package io.scenepipeline.run;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.support.AtomicFiles;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.AsyncCallback;

/**
 * The three typed exchange properties that say which plan, scene and step an exchange is working on: the plan run
 * ({@link PlanRun#PROPERTY}), the scene ({@link #SCENE}) and the chain's {@link StepCall} ({@link #CALL}).
 */
public final class Steps {

    /** The scene of a scene exchange ({@link Scene}), set by the plan's split. */
    public static final String SCENE = "scene";
    /** The chain's {@link StepCall}: the step in progress and the state its calls carry. */
    public static final String CALL = "stepCall";
    /** The providers that bill for a step (face_rig and ffmpeg run locally). */
    public static final java.util.Set<String> PAID = java.util.Set.of("replicate", "elevenlabs");

    private Steps() {
    }

    /** For the routes: the current step has to be called (it was not taken from the journal). */
    public static boolean toCall(Exchange exchange) {
        return call(exchange).toCall();
    }

    /** The chain's step call, begun when the chain's first step begins. */
    public static StepCall call(Exchange exchange) {
        StepCall call = exchange.getProperty(CALL, StepCall.class);
        if (call == null) {
            call = new StepCall();
            exchange.setProperty(CALL, call);
        }
        return call;
    }

    public static PlanRun run(Exchange exchange) {
        return exchange.getProperty(PlanRun.PROPERTY, PlanRun.class);
    }

    public static Scene scene(Exchange exchange) {
        return exchange.getProperty(SCENE, Scene.class);
    }

    public static SceneResult sceneResult(Exchange exchange) {
        return run(exchange).scene(scene(exchange).sceneNumber());
    }

    /** Starts a step of the current scene: it is listed in the manifest from now on. */
    public static StepRecord begin(Exchange exchange, String step, String provider, String model, String key) {
        StepRecord record = new StepRecord(step, provider, model, key);
        sceneResult(exchange).add(record);
        call(exchange).step(record);
        return record;
    }

    /** Makes a step begun earlier the current one again (a call made again inside its retry unit). */
    public static StepRecord resume(Exchange exchange, StepRecord record) {
        call(exchange).step(record);
        return record;
    }

    /**
     * Looks the current step up in the journal. When an earlier run finished it, its output is put at
     * {@code target} (relative to the plan folder; null for outputs that are not plan files), the step is marked
     * reused and finished, and the entry is returned.
     */
    public static Optional<StepEntry> reuse(Exchange exchange, StepJournal journal, String target) throws IOException {
        StepRecord record = current(exchange);
        if (PAID.contains(record.provider())) {
            // cluster mode: one node at a time looks a paid step up and pays for it (the file journal has one process)
            journal.claim(record.key());
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    journal.release(record.key());
                }
            });
        }
        Optional<StepEntry> entry = journal.find(record.key());
        if (entry.isPresent()) {
            if (target != null) {
                journal.restore(entry.get(), AtomicFiles.inside(run(exchange).stagingDir(), Path.of(target)));
            }
            if (entry.get().paidBy(run(exchange).runId())) {
                record.paidEarlier(entry.get());
            } else {
                record.markReused(entry.get().predictionId(), entry.get().requestId());
                if (PAID.contains(record.provider())) {
                    record.costUsd(0);
                }
                record.outputSha256(entry.get().sha256());
                record.finish();
            }
            call(exchange).reused(true);
            run(exchange).stepFinished(record);
        }
        return entry;
    }

    /** Journals the finished current step with its output file, then finishes it. */
    public static StepEntry complete(Exchange exchange, StepJournal journal, Path output, String outputUrl) throws IOException {
        StepRecord record = current(exchange);
        record.finish();
        StepEntry entry = journaled(record, () -> journal.record(record.journaled(run(exchange).runId(), outputUrl), output));
        record.outputSha256(entry.sha256());
        run(exchange).stepFinished(record);
        return entry;
    }

    public static StepRecord current(Exchange exchange) {
        StepCall call = exchange.getProperty(CALL, StepCall.class);
        return call == null ? null : call.step();
    }

    public static void finish(Exchange exchange) {
        StepRecord record = current(exchange);
        if (record != null) {
            record.finish();
            run(exchange).stepFinished(record);
        }
    }

    /** Journals the finished current step whose output is data rather than a plan file. */
    public static StepEntry complete(Exchange exchange, StepJournal journal, byte[] output, String extension) throws IOException {
        StepRecord record = current(exchange);
        record.finish();
        StepEntry entry = journaled(record, () -> journal.record(record.journaled(run(exchange).runId(), null), output, extension));
        run(exchange).stepFinished(record);
        return entry;
    }

    /** What a journal's record call does. */
    private interface Recording {
        StepEntry record() throws IOException;
    }

    /**
     * Records a finished step. When another node took the step over meanwhile (cluster mode), that node journals and
     * counts it: here it is no longer finished, so its cost is not counted twice across the cluster.
     */
    private static StepEntry journaled(StepRecord record, Recording recording) throws IOException {
        try {
            return recording.record();
        } catch (ClaimLostException e) {
            record.handedOn();
            throw e;
        }
    }

    /**
     * The exchange's step waits for {@code what} (until {@code untilMs} when known, else null) without a thread: the wait
     * shows on the step's timeline until {@code callback} is called. Returns the callback to call when it is over.
     */
    public static AsyncCallback waiting(Exchange exchange, String what, Long untilMs,
                                                        AsyncCallback callback) {
        StepRecord step = current(exchange);
        if (step == null || step.finished()) {
            return callback; // between two steps: the next one has not begun
        }
        step.timeline().waitStarted(what, untilMs);
        return doneSync -> {
            step.timeline().waitEnded();
            callback.done(doneSync);
        };
    }

    /** {@code plan=P scene=N step=S}, the prefix of every log line about a step. */
    public static String context(Exchange exchange) {
        StringBuilder sb = new StringBuilder();
        PlanRun run = run(exchange);
        sb.append("plan=").append(run == null ? "?" : run.planId());
        Scene scene = scene(exchange);
        if (scene != null) {
            sb.append(" scene=").append(scene.sceneNumber());
        }
        StepRecord step = current(exchange);
        if (step != null) {
            sb.append(" step=").append(step.step());
        }
        return sb.toString();
    }
}

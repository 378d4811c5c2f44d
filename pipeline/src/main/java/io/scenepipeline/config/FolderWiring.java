package io.scenepipeline.config;

import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.state.PlanRecovery;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.WorkLock;
import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders (docs/folders.md): each one writable, the work folder locked for this one process, what a dead run left in
 * it recovered, and the dead letters that were waiting for their folder read back.
 */
final class FolderWiring {

    private FolderWiring() {
    }

    /** Makes sure the four folders are there and writable, and takes the work folder's lock. */
    static WorkLock lock(CamelContext context, PipelineSettings.Folders folders) {
        ensureWritable("pipeline.inbox", folders.inbox());
        ensureWritable("pipeline.outbox", folders.outbox());
        ensureWritable("pipeline.dead-letter", folders.deadLetter());
        ensureWritable("pipeline.work", folders.work());
        WorkLock lock;
        try {
            // one process per work folder, taken before recovery touches it
            lock = WorkLock.acquire(folders.work(), ShownPath.of(folders.work()).toString());
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot lock " + folders.work() + " (" + e.getMessage() + ")");
        }
        // Camel's stream-cache spool lives in the work folder (recovery empties work/tmp of what a dead run left)
        context.getStreamCachingStrategy().setSpoolDirectory(folders.work().resolve("tmp").resolve("spool").toAbsolutePath().toFile());
        return lock;
    }

    /** Puts the plans a dead run left back in the inbox, and reads the dead letters waiting for their folder. */
    static DeadLetters recover(CamelContext context, PipelineSettings settings, StepJournal journal) {
        PipelineSettings.Folders folders = settings.folders();
        try {
            PlanRecovery.recover(folders.inbox(), folders.work(), journal, settings.steps().journalRetention());
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot recover the plans in flight in " + folders.work() + " (" + e.getMessage() + ")");
        }
        DeadLetters deadLetters = new DeadLetters(folders.deadLetter(), folders.work());
        try {
            deadLetters.recover();
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot read the waiting dead letters in " + folders.work() + " (" + e.getMessage() + ")");
        }
        // where a picked-up plan waits while it runs: an absolute path, for the inbox consumer's preMove
        context.getPropertiesComponent().addOverrideProperty("pipeline.inflight-dir",
                PlanRecovery.inflight(folders.work()).toAbsolutePath().toString());
        return deadLetters;
    }

    static void ensureWritable(String key, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(key + ": cannot create folder " + folder.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new SettingsException(key + ": folder " + folder.toAbsolutePath() + " is not writable");
        }
    }
}

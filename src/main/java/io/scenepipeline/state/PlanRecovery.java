package io.scenepipeline.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Startup housekeeping, before the inbox is read. Plans that were in flight when the last run stopped (their files
 * wait in {@code work/inflight/}) go back to the inbox, where their old modification time puts them ahead of new
 * plans; the journal resumes their steps. Half-built staging folders are removed; journal entries unused for
 * {@code pipeline.journal-retention} are purged.
 */
public final class PlanRecovery {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    private PlanRecovery() {
    }

    /** @return the plan files put back into the inbox */
    public static List<String> recover(Path inbox, Path work, StepJournal journal, Duration retention) throws IOException {
        Path inflight = inflight(work);
        Files.createDirectories(inflight);
        List<String> resumed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inflight)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(f)) {
                    continue;
                }
                Path back = inbox.resolve(name);
                if (Files.exists(back)) {
                    Path aside = work.resolve("superseded").resolve(name + "." + System.currentTimeMillis());
                    Files.createDirectories(aside.getParent());
                    move(f, aside);
                    LOG.warn("{} was in flight, but the inbox holds a newer file of that name; the old one was kept as {}", name, aside);
                    continue;
                }
                move(f, back);
                resumed.add(name);
            }
        }
        Path staging = work.resolve("staging");
        if (Files.isDirectory(staging)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(staging)) {
                for (Path d : dirs) {
                    io.scenepipeline.output.AtomicFiles.deleteTree(d);
                }
            }
        }
        int purged = journal.purge(retention);
        LOG.info("Resuming {} plan{} that {} in flight{}{}", resumed.size(), resumed.size() == 1 ? "" : "s",
                resumed.size() == 1 ? "was" : "were", resumed.isEmpty() ? "" : ": " + String.join(", ", resumed),
                purged == 0 ? "" : "; " + purged + " journal entries older than " + retention.toDays() + " days removed");
        return resumed;
    }

    public static Path inflight(Path work) {
        return work.resolve("inflight");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}

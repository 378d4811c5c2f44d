package io.scenepipeline.state;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Startup housekeeping, before the inbox is read. Plans that were in flight when the last run stopped (their files
 * wait in {@code work/inflight/}) go back to the inbox, where their old modification time puts them ahead of new
 * plans; the journal resumes their steps. What a dead run left in the scratch folders is removed; journal entries
 * unused for {@code pipeline.journal-retention} are purged.
 */
public final class PlanRecovery {

    private static final Logger LOG = Logs.of(PlanRecovery.class);
    /** Folders of the work folder that only a running process uses: what a dead run left there is removed. */
    private static final List<String> SCRATCH = List.of("staging", "assembly", "replaced", "tmp");

    private PlanRecovery() {
    }

    /**
     * Puts the plans a stopped or dead run left in flight back into the inbox: the files in {@code work/inflight/},
     * and those older versions rolled back into {@code work/inflight/.failed/}. Removes the scratch folders a dead
     * run left behind, and purges the journal. The caller holds the {@link WorkLock}: no other process uses them.
     *
     * @return the plan files put back into the inbox
     */
    public static List<String> recover(Path inbox, Path work, StepJournal journal, Duration retention) throws IOException {
        Path inflight = inflight(work);
        Files.createDirectories(inflight);
        List<String> resumed = new ArrayList<>();
        takeBack(inflight, inbox, work, resumed);
        Path rolledBack = inflight.resolve(".failed");
        if (Files.isDirectory(rolledBack, LinkOption.NOFOLLOW_LINKS)) {
            takeBack(rolledBack, inbox, work, resumed);
        }
        for (String scratch : SCRATCH) {
            Path dir = work.resolve(scratch);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path d : entries) {
                        AtomicFiles.deleteTree(d);
                    }
                }
            }
        }
        int purged = journal.purge(retention);
        LOG.info("Resuming {} plan{} that {} in flight{}{}", resumed.size(), resumed.size() == 1 ? "" : "s",
                resumed.size() == 1 ? "was" : "were", resumed.isEmpty() ? "" : ": " + String.join(", ", resumed),
                purged == 0 ? "" : "; " + purged + " journal entries older than " + retention.toDays() + " days removed");
        return resumed;
    }

    private static void takeBack(Path folder, Path inbox, Path work, List<String> resumed) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path back = inbox.resolve(name);
                if (Files.exists(back, LinkOption.NOFOLLOW_LINKS)) {
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

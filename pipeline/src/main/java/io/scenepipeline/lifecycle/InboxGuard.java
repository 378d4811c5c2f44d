package io.scenepipeline.lifecycle;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Keeps the inbox consumer to regular files. Anything else named {@code *.json} (a symbolic link, a named pipe, a
 * socket, a device) is never opened: it is moved as itself into the dead letters with a report that says what it
 * is. A folder named {@code *.json} is left where it is, with one WARN line. Runs as the consumer's file filter
 * (every file it lists) and before every poll (folders and links to folders, which the consumer skips unlisted).
 */
public final class InboxGuard extends DefaultPollingConsumerPollStrategy implements GenericFileFilter<File> {

    private static final Logger LOG = Logs.of(InboxGuard.class);

    private final Path inbox;
    private final BiConsumer<Path, String> setAside;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** @param setAside dead-letters an entry that is not a regular file, given what it is */
    public InboxGuard(Path inbox, BiConsumer<Path, String> setAside) {
        this.inbox = inbox;
        this.setAside = setAside;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        return file.isDirectory() || inspect(file.getFile().toPath());
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox, InboxGuard::named)) {
            for (Path entry : entries) {
                inspect(entry);
            }
        } catch (IOException e) {
            // the consumer reports an unreadable inbox itself
        }
        return true;
    }

    private static boolean named(Path entry) {
        String name = entry.getFileName().toString();
        return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** True for a regular file; anything else is set aside (or, for a folder, warned about once). */
    private boolean inspect(Path entry) {
        if (!named(entry)) {
            return true;
        }
        String kind = PlanFile.kind(entry);
        if (kind == null) {
            warned.remove(entry.getFileName().toString());
            return true;
        }
        String name = entry.getFileName().toString();
        if ("a folder".equals(kind)) {
            if (warned.add(name)) {
                LOG.warn("{} in the inbox is a folder, not a plan file: left where it is", name);
            }
            return false;
        }
        setAside.accept(entry, PlanFile.notRegular(name, kind));
        return false;
    }
}

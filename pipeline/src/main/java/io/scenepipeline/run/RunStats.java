package io.scenepipeline.run;

import java.util.concurrent.atomic.AtomicInteger;

/** Plans finished by this process, for {@code --once}'s exit status. */
public final class RunStats {

    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();

    public void succeeded() {
        succeeded.incrementAndGet();
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public int succeededCount() {
        return succeeded.get();
    }

    public int deadLetteredCount() {
        return deadLettered.get();
    }
}

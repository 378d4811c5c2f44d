package io.scenepipeline.run;

import io.scenepipeline.state.Pauses;

/**
 * A call to a provider the operator paused: not made; the step waits, without a thread and without spending an
 * attempt, and looks again shortly (docs/console.md).
 */
public final class ProviderPausedException extends RuntimeException {

    public ProviderPausedException(Pauses.Pause pause) {
        super(pause.provider() + " is paused by " + pause.by() + " since " + pause.at());
    }
}

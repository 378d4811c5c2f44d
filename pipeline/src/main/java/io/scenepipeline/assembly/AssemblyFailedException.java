package io.scenepipeline.assembly;

/** ffmpeg failed, or the scenes cannot be assembled: permanent, the plan goes to the dead letters (stage assembly). */
public class AssemblyFailedException extends RuntimeException {

    public AssemblyFailedException(String message) {
        super(message);
    }
}

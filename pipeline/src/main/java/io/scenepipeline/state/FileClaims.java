package io.scenepipeline.state;

/**
 * Claims on the files of an inbox that several processes share (cluster mode): one process at a time holds a file's
 * claim, and a process that dies loses its claims once they are no longer renewed.
 */
public interface FileClaims {

    /** Claims {@code key} for this process: true when it is now this process's; false when another holds it. */
    boolean claim(String key);

    /** Gives back a claim this process holds; one it does not hold is left alone. */
    void release(String key);
}

package io.scenepipeline.state;

/**
 * Who works on what (cluster mode; the file journal has one process and nothing to claim): a step being paid for, and a
 * plan being run, are held by one node at a time, and a node that stood still past its lease has lost them.
 */
public interface Claims {

    /**
     * Takes the step for this process before it is looked up and paid for, waiting while another node holds it, and
     * keeps it until {@link #release}. A step recorded by this process is released with it. The file journal has one
     * process (the work-folder lock): nothing to take.
     */
    default void claim(String key) {
    }

    /**
     * Checked right before a paid call: this process still holds the step (its claim was not taken over while it
     * stood still).
     *
     * @throws ClaimLostException when it does not
     */
    default void checkClaim(String key) {
    }

    /** Gives a step back without recording it (its call failed for good, or the plan ended). */
    default void release(String key) {
    }
}

package io.scenepipeline.state;

/**
 * Another node holds the step this process was about to pay for or record: this process stood still past its lease
 * (a pause, a network split) and the plan was handed on. The plan is left to that node: not paid, not recorded, not
 * dead-lettered here.
 */
public final class ClaimLostException extends RuntimeException {
    public ClaimLostException(String message) {
        super(message);
    }
}

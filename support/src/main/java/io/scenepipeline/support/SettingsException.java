package io.scenepipeline.support;

/** A missing or bad setting; its message is the one line a user sees, naming the key. */
public class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }
}

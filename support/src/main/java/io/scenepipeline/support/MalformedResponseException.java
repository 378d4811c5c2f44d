package io.scenepipeline.support;

/** A provider answered 2xx with a body the pipeline cannot read (empty, not JSON, missing fields). */
public class MalformedResponseException extends RuntimeException {

    public MalformedResponseException(String message) {
        super(message);
    }
}

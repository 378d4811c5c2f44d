package io.scenepipeline.provider.replicate;

/** A prediction still not finished after {@code replicate.prediction-timeout}: permanent. */
public class PredictionTimeoutException extends RuntimeException {

    public PredictionTimeoutException(String message) {
        super(message);
    }
}

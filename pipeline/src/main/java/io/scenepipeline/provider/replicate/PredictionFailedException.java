package io.scenepipeline.provider.replicate;

/**
 * A Replicate prediction ended {@code failed}, {@code canceled} or {@code aborted}. Transient when the status is
 * {@code failed} and the error matches {@code replicate.transient-errors} (a new prediction is then created);
 * permanent otherwise (flagged content, invalid input, canceled).
 */
public class PredictionFailedException extends RuntimeException {

    private final String predictionId;
    private final String status;
    private final boolean transientFailure;

    public PredictionFailedException(String predictionId, String status, String error, boolean transientFailure) {
        super("Prediction " + predictionId + " " + status + (error == null || error.isBlank() ? "" : ": " + error.strip()));
        this.predictionId = predictionId;
        this.status = status;
        this.transientFailure = transientFailure;
    }

    public String predictionId() {
        return predictionId;
    }

    public String status() {
        return status;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}

package io.scenepipeline.provider.facerig;

import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.Exchange;

/**
 * What a scene's face_rig steps carry from one call to the next, kept by the narration chain's
 * {@link io.scenepipeline.run.StepCall}: the alignment's phonemes and the merged timeline they lead to, the export's
 * journal key, and the state of the upload-and-export unit (which server has the narration under which name, whether
 * it was uploaded again in this attempt, whether the export is still to be stored, the two steps' records).
 */
final class FaceRigSession {

    /** The alignment's keyframes, sent back to face_rig with the emotions request. */
    JsonNode phonemes;
    /** The original client's merge of phonemes and emotions: what the export plays. */
    ArrayNode timeline;
    /** The export's journal key (from the timeline and the narration's content, not the uploaded file's name). */
    String exportKey;
    /** The narration's file name on the server it was last uploaded to, and that server. */
    String uploaded;
    String uploadedTo;
    /** The export is not stored yet: the unit goes on (it uploads and exports again once when the server lost the audio). */
    boolean exportPending;
    /** This attempt uploaded the narration again after the server said it had lost it. */
    boolean reuploaded;
    /** The upload and export records, begun once however often the unit runs them (attempts count on them). */
    StepRecord upload;
    StepRecord export;

    static FaceRigSession of(Exchange exchange) {
        return Steps.call(exchange).part(FaceRigSession.class, FaceRigSession::new);
    }
}

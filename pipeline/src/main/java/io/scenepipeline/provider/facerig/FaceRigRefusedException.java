package io.scenepipeline.provider.facerig;

/**
 * face_rig answered with an error no retry can mend (an empty timeline, a server without its aligner or its OpenAI
 * key). The real server wraps these in a 500, so they are told apart by what it says: permanent, with what to fix.
 */
public class FaceRigRefusedException extends RuntimeException {

    public FaceRigRefusedException(String message) {
        super(message);
    }
}

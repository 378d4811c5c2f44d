package io.scenepipeline.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the assembly did for a plan, as the manifest's {@code assembly} says it: the final video made (or taken from the
 * journal), or a sentence saying why it was skipped.
 */
public sealed interface AssemblyOutcome {

    /** The final video, relative to the plan folder. */
    @JsonPropertyOrder({"file", "duration_s", "picture_in_picture", "reused", "encode_ms"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Made(@JsonProperty("file") String file, @JsonProperty("duration_s") double seconds,
                @JsonProperty("picture_in_picture") boolean pictureInPicture, @JsonProperty("reused") boolean reused,
                @JsonProperty("encode_ms") Long encodeMs) implements AssemblyOutcome {
    }

    /** No final video, and why ({@code skipped: ffmpeg not found}). */
    record Skipped(@JsonValue String why) implements AssemblyOutcome {
        /** The report's words: {@code No final video: ffmpeg not found}. */
        public String note() {
            return "No final video: " + why.replaceFirst("^skipped: ", "");
        }
    }
}

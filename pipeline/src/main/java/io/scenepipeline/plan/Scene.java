package io.scenepipeline.plan;

import java.util.Map;

/**
 * One scene of a plan, as the original scene planner writes it.
 *
 * @param sceneNumber       positive, unique in the plan
 * @param sceneType         {@code video} (default) or {@code diagram}
 * @param narration         spoken text; null when the scene has none
 * @param visualDescription the image prompt
 * @param duration          seconds, &gt; 0
 * @param imageModel        override of the plan's / configured image model, or null
 * @param videoModel        override of the plan's / configured video model, or null
 * @param voiceId           override of the plan's / configured voice, or null
 * @param extra             fields this version does not know, kept for the manifest
 */
public record Scene(int sceneNumber, String sceneType, String narration, String visualDescription, double duration,
                    String imageModel, String videoModel, String voiceId, Map<String, Object> extra) {

    public boolean hasNarration() {
        return narration != null && !narration.isBlank();
    }
}

package io.scenepipeline.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated scene plan.
 *
 * @param planId     the id used for every path: already reduced to a safe form (see {@link PlanIds})
 * @param declaredId the {@code plan_id} as written in the plan, or null
 * @param title      optional title
 * @param scenes     at least one scene, in the order of the file
 * @param imageModel plan-level image model override, or null
 * @param videoModel plan-level video model override, or null
 * @param voiceId    plan-level voice override, or null
 * @param extra      unknown top-level fields, kept for the manifest
 */
public record ScenePlan(String planId, String declaredId, String title, List<Scene> scenes,
                        String imageModel, String videoModel, String voiceId, Map<String, Object> extra) {

    public ScenePlan {
        scenes = List.copyOf(scenes);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }
}

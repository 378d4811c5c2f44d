package io.scenepipeline.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.support.SettingsException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The price table ({@code pricing.replicate.<model>}, {@code pricing.elevenlabs.<model_id>}; docs/costs.md): what each
 * paid step costs, by the unit its provider bills. face_rig and ffmpeg run locally and cost nothing.
 */
public final class Prices {

    private final Map<String, Price> replicate;
    private final Map<String, Price> elevenlabs;
    private final double typicalRunSeconds;

    private Prices(Map<String, Price> replicate, Map<String, Price> elevenlabs, double typicalRunSeconds) {
        this.replicate = Map.copyOf(replicate);
        this.elevenlabs = Map.copyOf(elevenlabs);
        this.typicalRunSeconds = typicalRunSeconds;
    }

    /** The prices of every Replicate model a plan may name, and of the configured ElevenLabs model. */
    public static Prices of(Function<String, String> lookup, String elevenlabsModel) {
        java.util.List<String> models = new java.util.ArrayList<>(ReplicateModel.names(ReplicateModel.Kind.IMAGE));
        models.addAll(ReplicateModel.names(ReplicateModel.Kind.VIDEO));
        return from(lookup, models, java.util.List.of(elevenlabsModel));
    }

    /** Reads the price of every model the pipeline may call; a missing or bad one stops startup. */
    public static Prices from(Function<String, String> lookup, Collection<String> replicateModels, Collection<String> elevenlabsModels) {
        Map<String, Price> r = new LinkedHashMap<>();
        for (String m : replicateModels) {
            r.put(m, read(lookup, "pricing.replicate." + m));
        }
        Map<String, Price> e = new LinkedHashMap<>();
        for (String m : elevenlabsModels) {
            e.put(m, read(lookup, "pricing.elevenlabs." + m));
        }
        String typical = lookup.apply("pricing.typical-run-seconds");
        double seconds;
        try {
            seconds = typical == null || typical.isBlank() ? 30 : Double.parseDouble(typical.trim());
        } catch (NumberFormatException bad) {
            throw new SettingsException("pricing.typical-run-seconds: must be a number of seconds, got '" + typical + "'");
        }
        return new Prices(r, e, seconds);
    }

    private static Price read(Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            throw new SettingsException(key + ": is not set (every model the pipeline may call needs a price)");
        }
        return Price.parse(key, v);
    }

    /**
     * What a Replicate prediction cost: per image, per second of video made (at {@code resolution}, from
     * {@code videoSeconds}), or per second it ran ({@code metrics.predict_time} of the prediction).
     */
    public double replicate(String model, JsonNode prediction, double videoSeconds, String resolution) {
        Price p = replicate.get(model);
        if (p == null) {
            return 0;
        }
        return usd(switch (p.unit()) {
            case Price.IMAGE -> p.cost(1, null);
            case Price.VIDEO_SECOND -> p.cost(videoSeconds, resolution);
            case Price.RUN_SECOND -> p.cost(prediction == null ? 0 : prediction.path("metrics").path("predict_time").asDouble(0), null);
            default -> 0;
        });
    }

    /**
     * What a Replicate call will likely cost, before it is made: a model billed by run time is taken to run
     * {@code pricing.typical-run-seconds}.
     */
    public double estimateReplicate(String model, double videoSeconds, String resolution) {
        Price p = replicate.get(model);
        if (p == null) {
            return 0;
        }
        return usd(switch (p.unit()) {
            case Price.IMAGE -> p.cost(1, null);
            case Price.VIDEO_SECOND -> p.cost(videoSeconds, resolution);
            case Price.RUN_SECOND -> p.cost(typicalRunSeconds, null);
            default -> 0;
        });
    }

    /** What a text-to-speech call cost, by the characters ElevenLabs billed. */
    public double elevenlabs(String model, long characters) {
        Price p = elevenlabs.get(model);
        return p == null ? 0 : usd(p.cost(characters, null));
    }

    /** Rounded to a millionth of a dollar, so sums print plainly. */
    public static double usd(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }
}

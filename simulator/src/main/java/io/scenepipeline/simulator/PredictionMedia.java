package io.scenepipeline.simulator;

import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Matcher;

/** A simulated prediction's output: a PNG drawn from its prompt, or a clip made from its input image. */
final class PredictionMedia {

    private final String baseUrl;
    private final SimulatorSettings settings;
    private final SimFiles files;
    private final Function<String, SimPrediction> predictions;

    PredictionMedia(String baseUrl, SimulatorSettings settings, SimFiles files, Function<String, SimPrediction> predictions) {
        this.baseUrl = baseUrl;
        this.settings = settings;
        this.files = files;
        this.predictions = predictions;
    }

    /** Makes the output of a finished prediction. */
    byte[] render(SimPrediction p) {
        if (settings.fastMedia() || settings.clipBytes() > 0) {
            return ModelInputs.isVideo(p.model) ? Media.tinyClip() : Media.tinyPng();
        }
        if (!ModelInputs.isVideo(p.model)) {
            return Media.png(Faults.clean(p.input.path("prompt").asText()));
        }
        boolean svd = p.model.endsWith("stable-video-diffusion");
        String imageRef = p.input.path(svd ? "input_image" : "image").asText();
        byte[] image = fetchImage(imageRef);
        if (image == null) {
            return null;
        }
        double seconds = svd ? 25.0 / p.input.path("frames_per_second").asInt(6) : p.input.path("duration").asInt(5);
        int fps = svd ? p.input.path("frames_per_second").asInt(6) : 24;
        return Media.clip(image, seconds, fps, Faults.clean(p.input.path("prompt").asText(p.model)));
    }

    private byte[] fetchImage(String ref) {
        byte[] uploaded = files.content(ref);
        if (uploaded != null) {
            return uploaded;
        }
        if (ref.startsWith("data:")) {
            int comma = ref.indexOf(',');
            return comma < 0 ? null : Base64.getDecoder().decode(ref.substring(comma + 1));
        }
        Matcher m = ReplicateSimulator.FILE_PATH.matcher(ref.startsWith(baseUrl) ? ref.substring(baseUrl.length()) : "");
        if (m.matches()) {
            SimPrediction source = predictions.apply(m.group(1));
            return source == null ? null : source.output;
        }
        return null;
    }
}

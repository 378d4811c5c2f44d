package io.scenepipeline.assembly;

import io.scenepipeline.run.Failure;
import io.scenepipeline.run.AssemblyOutcome;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepCache;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Wav;
import org.apache.camel.Exchange;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The final assembly (bean {@code assembly}, route {@code assembly}): after every scene succeeded, ffmpeg joins the
 * clips in scene order, each fitted to its narration (trimmed, or its last frame held), lays the narration under them
 * and overlays the face_rig videos bottom-right as a picture-in-picture, into {@code final.mp4} (H.264 + AAC,
 * faststart). The work happens under {@code pipeline.work/assembly/}; the file reaches the plan folder only when
 * complete, and is journaled like a provider step: a plan dropped again with the same scenes is not re-encoded.
 * A missing ffmpeg skips the step (said once at startup, and in the manifest); ffmpeg failing is a permanent error.
 */
public final class Assembly {

    private static final Logger LOG = Logs.of(Assembly.class);
    public static final String FILE = "final.mp4";
    private static final int STDERR_TAIL_LINES = 12;

    private final AssemblySettings settings;
    private final StepCache journal;
    private final Path workDir;
    private final boolean faceRigEnabled;
    private final Path ffmpeg;

    public Assembly(AssemblySettings settings, StepCache journal, Path workDir, boolean faceRigEnabled) {
        this.settings = settings;
        this.journal = journal;
        this.workDir = workDir;
        this.faceRigEnabled = faceRigEnabled;
        this.ffmpeg = settings.enabled() ? locate(settings.ffmpeg()).orElse(null) : null;
        if (settings.enabled() && ffmpeg == null) {
            LOG.warn("ffmpeg not found (assembly.ffmpeg={}): plans will be published without {}; install ffmpeg or set "
                    + "assembly.ffmpeg, or assembly.enabled=false to silence this", settings.ffmpeg(), FILE);
        }
    }

    /** True when the assembly is a stage of every plan (enabled; made, or said to be skipped). */
    public boolean enabled() {
        return settings.enabled();
    }

    /** True when plans get a final video (enabled, and ffmpeg was found at startup). */
    public boolean active() {
        return ffmpeg != null;
    }

    /** A program: a path as given, else the first executable of that name on PATH (also used by the tests). */
    public static Optional<Path> locate(String command) {
        if (command.contains("/") || command.contains(File.separator)) {
            Path p = Path.of(command);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public void assemble(Exchange exchange) throws IOException, InterruptedException {
        PlanRun run = Steps.run(exchange);
        try {
            assemble(run);
        } catch (AssemblyFailedException e) {
            if (run.failure() == null) {
                run.fail(new Failure("assembly", null, "ffmpeg", false, 1, null, e.getMessage()));
            }
            throw e;
        }
    }

    private void assemble(PlanRun run) throws IOException, InterruptedException {
        if (!settings.enabled()) {
            run.assembly(new AssemblyOutcome.Skipped("skipped: assembly disabled (assembly.enabled=false)"));
            return;
        }
        if (ffmpeg == null) {
            run.assembly(new AssemblyOutcome.Skipped("skipped: ffmpeg not found"));
            LOG.warn("plan={} {} Assembly skipped: ffmpeg not found (assembly.ffmpeg={}), so no final.mp4; install ffmpeg (Debian: "
                    + "apt-get install ffmpeg) and drop the plan again to get it", run.planId(), stage(), settings.ffmpeg());
            return;
        }
        long started = System.nanoTime();
        List<Part> parts = parts(run);
        boolean pip = faceRigEnabled && parts.stream().allMatch(p -> p.face() != null);
        String key = StepKeys.of("assembly", keyInputs(parts, pip));
        Path target = AtomicFiles.inside(run.stagingDir(), Path.of(FILE));
        double seconds = parts.stream().mapToDouble(Part::seconds).sum();
        Optional<StepEntry> earlier = journal.find(key);
        if (earlier.isPresent()) {
            journal.restore(earlier.get(), target);
            run.assembly(new AssemblyOutcome.Made(FILE, rounded(seconds), pip, true, null));
            LOG.info("plan={} {} Assembly: {} taken from the journal ({} s of video)", run.planId(), stage(), FILE, FfmpegCommand.format(seconds));
            return;
        }
        Path scratch = Files.createDirectories(workDir.resolve("assembly")).resolve(run.planId() + "-" + UUID.randomUUID());
        Files.createDirectories(scratch);
        try {
            Path out = scratch.resolve("final.partial.mp4");
            Path stderr = scratch.resolve("ffmpeg.log");
            List<String> command = FfmpegCommand.of(settings, ffmpeg, parts, pip, out);
            Process process = new ProcessBuilder(command).directory(scratch.toFile())
                    .redirectErrorStream(false)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(settings.timeoutMs(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(run, "ffmpeg did not finish within " + settings.timeoutMs() / 1000 + " s (assembly.timeout)", stderr);
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(out) || Files.size(out) == 0) {
                fail(run, "ffmpeg exited with status " + process.exitValue(), stderr);
            }
            AtomicFiles.move(out, target);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            journal.record(io.scenepipeline.state.FinishedStep.local(key, "assembly", "ffmpeg", 1, tookMs), target);
            run.assembly(new AssemblyOutcome.Made(FILE, rounded(seconds), pip, false, tookMs));
            LOG.info("plan={} {} Assembly: {} ({} s of video, {} scenes{}) in {} s", run.planId(), stage(), FILE, FfmpegCommand.format(seconds), parts.size(),
                    pip ? ", face_rig picture-in-picture" : "", FfmpegCommand.format(tookMs / 1000.0));
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** {@code [5/5]}: the last of the progress stages (after face_rig when it is enabled). */
    private String stage() {
        int n = faceRigEnabled ? 5 : 4;
        return "[" + n + "/" + n + "]";
    }

    private static double rounded(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private void fail(PlanRun run, String what, Path stderr) throws IOException {
        String tail = tail(stderr);
        String message = what + (tail.isEmpty() ? "" : ": " + tail);
        run.fail(new Failure("assembly", null, "ffmpeg", false, 1, null, message));
        throw new AssemblyFailedException(message);
    }

    /** The last lines ffmpeg wrote to stderr, on one line. */
    static String tail(Path stderr) throws IOException {
        if (!Files.exists(stderr)) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        try (var all = Files.lines(stderr, StandardCharsets.ISO_8859_1)) {
            all.map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
                lines.add(l);
                if (lines.size() > STDERR_TAIL_LINES) {
                    lines.remove(0);
                }
            });
        }
        return String.join(" | ", lines);
    }

    /** One scene's inputs (with their content hashes) and how long it lasts in the final video. */
    record Part(int scene, Path clip, Path audio, Path face, double seconds, String clipSha, String audioSha, String faceSha) {
    }

    private List<Part> parts(PlanRun run) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (SceneResult scene : run.scenes()) {
            Map<String, String> files = scene.files();
            Path clip = file(run, files.get("clip"));
            if (clip == null) {
                throw new AssemblyFailedException("scene " + scene.sceneNumber() + " has no clip to assemble");
            }
            Path audio = file(run, files.get("audio"));
            Path face = file(run, files.get("face_rig"));
            double seconds;
            if (audio != null) {
                seconds = wavSeconds(audio);
            } else {
                seconds = scene.duration().clip() != null ? scene.duration().clip() : scene.duration().requested();
            }
            parts.add(new Part(scene.sceneNumber(), clip, audio, face, seconds, sha(scene, "image-to-video", clip),
                    sha(scene, "text-to-speech", audio), sha(scene, "export", face)));
        }
        return parts;
    }

    /** The content hash the journal recorded for the step that made {@code file}; hashed here only if unknown. */
    private static String sha(SceneResult scene, String step, Path file) throws IOException {
        if (file == null) {
            return null;
        }
        for (StepRecord record : scene.steps()) {
            if (step.equals(record.step()) && record.outputSha256() != null) {
                return record.outputSha256();
            }
        }
        return StepJournal.hash(file);
    }

    private static Path file(PlanRun run, String relative) {
        if (relative == null) {
            return null;
        }
        Path p = AtomicFiles.inside(run.stagingDir(), Path.of(relative));
        return Files.isRegularFile(p) ? p : null;
    }

    private Map<String, Object> keyInputs(List<Part> parts, boolean pip) throws IOException {
        Map<String, Object> k = new LinkedHashMap<>();
        List<Map<String, Object>> scenes = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("clip", p.clipSha());
            s.put("audio", p.audioSha());
            s.put("face", pip ? p.faceSha() : null);
            s.put("seconds", p.seconds());
            scenes.add(s);
        }
        k.put("scenes", scenes);
        k.put("width", settings.width());
        k.put("height", settings.height());
        k.put("fps", settings.fps());
        k.put("crf", settings.crf());
        k.put("preset", settings.preset());
        k.put("pip_scale", settings.pipScale());
        k.put("pip_margin", settings.pipMargin());
        return k;
    }

    static double wavSeconds(Path wav) throws IOException {
        try {
            return Wav.seconds(wav);
        } catch (IOException notAWav) {
            throw new AssemblyFailedException(notAWav.getMessage());
        }
    }

}

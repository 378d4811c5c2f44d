package io.scenepipeline.assembly;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ffmpeg command line of the final assembly. */
final class FfmpegCommand {

    private FfmpegCommand() {
    }

    /**
     * The ffmpeg command line. Inputs: every clip, then every narration, then every face_rig video. One filter graph
     * fits each clip to its scene's length (scale and pad to the output size, hold the last frame, trim), joins them,
     * joins the narration (silence for a scene without any) and overlays the joined face_rig videos.
     */
    static List<String> of(AssemblySettings settings, Path ffmpeg, List<Assembly.Part> parts, boolean pip, Path out) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        for (Assembly.Part p : parts) {
            cmd.addAll(List.of("-i", p.clip().toAbsolutePath().toString()));
        }
        Map<Integer, Integer> audioInput = new LinkedHashMap<>();
        int next = parts.size();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).audio() != null) {
                cmd.addAll(List.of("-i", parts.get(i).audio().toAbsolutePath().toString()));
                audioInput.put(i, next++);
            }
        }
        int firstFace = next;
        if (pip) {
            for (Assembly.Part p : parts) {
                cmd.addAll(List.of("-i", p.face().toAbsolutePath().toString()));
            }
        }
        int w = settings.width();
        int h = settings.height();
        int fps = settings.fps();
        int pipWidth = Math.max(2, (int) Math.round(w * settings.pipScale()) / 2 * 2);
        StringBuilder g = new StringBuilder();
        StringBuilder video = new StringBuilder();
        StringBuilder audio = new StringBuilder();
        StringBuilder faces = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String d = format(parts.get(i).seconds());
            g.append(String.format(Locale.ROOT, "[%d:v]scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,"
                    + "setsar=1,fps=%d,format=yuv420p,tpad=stop_mode=clone:stop_duration=%s,trim=duration=%s,setpts=PTS-STARTPTS[v%d];",
                    i, w, h, w, h, fps, d, d, i));
            video.append("[v").append(i).append(']');
            Integer a = audioInput.get(i);
            if (a != null) {
                g.append(String.format(Locale.ROOT, "[%d:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,"
                        + "atrim=duration=%s,asetpts=PTS-STARTPTS[a%d];", a, d, i));
            } else {
                g.append(String.format(Locale.ROOT, "anullsrc=r=48000:cl=stereo,atrim=duration=%s,aformat=sample_fmts=fltp[a%d];", d, i));
            }
            audio.append("[a").append(i).append(']');
            if (pip) {
                g.append(String.format(Locale.ROOT, "[%d:v]scale=%d:-2,setsar=1,fps=%d,format=yuv420p,tpad=stop_mode=clone:stop_duration=%s,"
                        + "trim=duration=%s,setpts=PTS-STARTPTS[f%d];", firstFace + i, pipWidth, fps, d, d, i));
                faces.append("[f").append(i).append(']');
            }
        }
        int n = parts.size();
        g.append(video).append("concat=n=").append(n).append(":v=1:a=0[base];");
        g.append(audio).append("concat=n=").append(n).append(":v=0:a=1[aout]");
        String videoOut = "[base]";
        if (pip) {
            g.append(';').append(faces).append("concat=n=").append(n).append(":v=1:a=0[pip];");
            g.append(String.format(Locale.ROOT, "[base][pip]overlay=x=W-w-%d:y=H-h-%d:shortest=1[vout]", settings.pipMargin(), settings.pipMargin()));
            videoOut = "[vout]";
        }
        cmd.addAll(List.of("-filter_complex", g.toString(), "-map", videoOut, "-map", "[aout]",
                "-c:v", "libx264", "-preset", settings.preset(), "-crf", String.valueOf(settings.crf()), "-pix_fmt", "yuv420p",
                "-r", String.valueOf(fps), "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", "-f", "mp4", out.toAbsolutePath().toString()));
        return cmd;
    }

    static String format(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}

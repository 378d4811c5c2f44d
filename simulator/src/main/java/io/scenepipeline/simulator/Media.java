package io.scenepipeline.simulator;

import io.scenepipeline.support.Wav;
import org.jcodec.api.awt.AWTSequenceEncoder;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Real, viewable media for the simulator: a PNG with the prompt drawn on it, an H.264 MP4 that slowly zooms into
 * that image, a WAV whose length follows the text, and a cartoon face whose mouth follows a face_rig timeline.
 */
final class Media {

    static final int IMAGE_WIDTH = 1280;
    static final int IMAGE_HEIGHT = 720;
    static final int CLIP_WIDTH = 640;
    static final int CLIP_HEIGHT = 360;
    static final int FACE_SIZE = 320;

    private static volatile byte[] tinyClip;
    private static volatile byte[] tinyPng;

    private Media() {
    }

    /** A one-frame 64x36 MP4, made once: stand-in media when rendering cost must not count. */
    static byte[] tinyClip() {
        if (tinyClip == null) {
            tinyClip = encode(24, 1, i -> new BufferedImage(64, 36, BufferedImage.TYPE_3BYTE_BGR));
        }
        return tinyClip;
    }

    static byte[] tinyPng() {
        if (tinyPng == null) {
            tinyPng = encodePng(new BufferedImage(64, 36, BufferedImage.TYPE_INT_RGB));
        }
        return tinyPng;
    }

    /** A 16:9 PNG: a gradient coloured by the prompt, with the prompt written across it. */
    static byte[] png(String prompt) {
        BufferedImage img = new BufferedImage(IMAGE_WIDTH, IMAGE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float hue = (prompt.hashCode() & 0xffff) / 65535f;
            g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.55f, 0.85f),
                    IMAGE_WIDTH, IMAGE_HEIGHT, Color.getHSBColor((hue + 0.35f) % 1f, 0.7f, 0.35f)));
            g.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
            g.setColor(new Color(255, 255, 255, 40));
            for (int i = 0; i < 7; i++) {
                int r = 80 + ((prompt.hashCode() >>> (i * 3)) & 0x7f) * 2;
                int x = (int) ((Math.abs((long) prompt.hashCode() * (i + 3)) % IMAGE_WIDTH));
                g.fillOval(x - r / 2, IMAGE_HEIGHT / 3 + (i * 61) % 300 - r / 2, r, r);
            }
            g.setColor(new Color(0, 0, 0, 120));
            g.fillRoundRect(60, IMAGE_HEIGHT - 300, IMAGE_WIDTH - 120, 240, 24, 24);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 38));
            drawWrapped(g, prompt, 90, IMAGE_HEIGHT - 245, IMAGE_WIDTH - 180, 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 22));
            g.drawString("scene-pipeline simulator · text-to-image", 90, IMAGE_HEIGHT - 80);
        } finally {
            g.dispose();
        }
        return encodePng(img);
    }

    /** An MP4 of {@code seconds} at {@code fps} that zooms slowly into {@code image}. */
    static byte[] clip(byte[] image, double seconds, int fps, String caption) {
        BufferedImage source = decode(image);
        int frames = Math.max(1, (int) Math.round(seconds * fps));
        return encode(fps, frames, i -> {
            BufferedImage frame = new BufferedImage(CLIP_WIDTH, CLIP_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                double zoom = 1.0 + 0.15 * i / Math.max(1, frames - 1);
                int w = (int) (CLIP_WIDTH * zoom);
                int h = (int) (CLIP_HEIGHT * zoom);
                g.drawImage(source, (CLIP_WIDTH - w) / 2, (CLIP_HEIGHT - h) / 2, w, h, null);
                // the caption along the top: the final video puts the character in the bottom-right corner
                g.setColor(new Color(0, 0, 0, 140));
                g.fillRect(0, 0, CLIP_WIDTH, 28);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
                g.drawString(String.format("%s  %.1f s", caption, i / (double) fps), 10, 19);
            } finally {
                g.dispose();
            }
            return frame;
        });
    }

    /** A cartoon face whose expression follows {@code timeline} (time in ms → expression name). */
    static byte[] face(List<long[]> times, List<String> expressions, long durationMs, int fps, boolean fast) {
        if (fast) {
            return tinyClip();
        }
        int frames = Math.max(1, (int) Math.round(durationMs / 1000.0 * fps));
        return encode(fps, frames, i -> {
            long t = Math.round(i * 1000.0 / fps);
            String expr = "neutral";
            for (int k = 0; k < times.size(); k++) {
                if (times.get(k)[0] <= t) {
                    expr = expressions.get(k);
                }
            }
            return drawFace(expr, t);
        });
    }

    private static BufferedImage drawFace(String expr, long t) {
        BufferedImage img = new BufferedImage(FACE_SIZE, FACE_SIZE, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(40, 44, 52));
            g.fillRect(0, 0, FACE_SIZE, FACE_SIZE);
            g.setColor(new Color(250, 214, 165));
            g.fillOval(40, 30, 240, 260);
            g.setColor(Color.DARK_GRAY);
            boolean blink = (t / 100) % 40 == 0;
            if (blink || expr.equals("blink_closed")) {
                g.setStroke(new BasicStroke(4));
                g.drawLine(100, 130, 140, 130);
                g.drawLine(180, 130, 220, 130);
            } else {
                g.fillOval(105, 115, 30, expr.equals("surprised_ah") ? 40 : 30);
                g.fillOval(185, 115, 30, expr.equals("surprised_ah") ? 40 : 30);
            }
            g.setColor(new Color(150, 40, 50));
            g.setStroke(new BasicStroke(6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            switch (expr) {
                case "speaking_ah", "surprised_ah" -> g.fillOval(130, 200, 60, 50);
                case "speaking_ee" -> g.fillRoundRect(115, 212, 90, 22, 20, 20);
                case "speaking_uw", "oh_round" -> g.fillOval(145, 200, 30, 36);
                case "happy_soft", "happy_big" -> g.drawArc(115, 180, 90, 60, 200, 140);
                case "concerned" -> g.drawArc(120, 220, 80, 40, 20, 140);
                default -> g.drawLine(130, 225, 190, 225);
            }
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(expr, 10, FACE_SIZE - 10);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** 16 kHz mono 16-bit WAV of syllable-like tones, about 0.38 s per word (at least one second). */
    /** How long the simulated voice takes to say {@code text}. */
    static double speechSeconds(String text) {
        String[] words = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
        return Math.max(1.0, 0.3 + words.length * 0.38);
    }

    /**
     * Silent MPEG-1 Layer III at 128 kbit/s, 44.1 kHz mono, as long as {@code seconds}: frames of 1152 samples whose side
     * information is all zero (no main data), which every decoder plays as silence.
     */
    static byte[] silentMp3(double seconds) {
        int frames = (int) Math.ceil(seconds * 44100 / 1152);
        int frameBytes = 144 * 128_000 / 44100;
        byte[] out = new byte[frames * frameBytes];
        for (int i = 0; i < frames; i++) {
            int at = i * frameBytes;
            out[at] = (byte) 0xFF;
            out[at + 1] = (byte) 0xFB;
            out[at + 2] = (byte) 0x90;
            out[at + 3] = (byte) 0xC0;
        }
        return out;
    }

    static byte[] speech(String text, int sampleRate, boolean wavHeader) {
        String[] words = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
        double seconds = speechSeconds(text);
        int samples = (int) (seconds * sampleRate);
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        int perWord = (int) (0.38 * sampleRate);
        for (int s = 0; s < samples; s++) {
            int word = (s - (int) (0.15 * sampleRate)) / Math.max(1, perWord);
            double value = 0;
            if (word >= 0 && word < words.length) {
                int inWord = (s - (int) (0.15 * sampleRate)) % perWord;
                double voiced = perWord * 0.75;
                if (inWord < voiced) {
                    double env = Math.sin(Math.PI * inWord / voiced);
                    double f0 = 110 + (words[word].hashCode() & 0x3f);
                    double t = s / (double) sampleRate;
                    value = env * (0.5 * Math.sin(2 * Math.PI * f0 * t) + 0.25 * Math.sin(2 * Math.PI * 2 * f0 * t)
                            + 0.12 * Math.sin(2 * Math.PI * 3.1 * f0 * t));
                }
            }
            pcm.putShort((short) (value * 12000));
        }
        return wavHeader ? Wav.fromPcm16(pcm.array(), sampleRate) : pcm.array();
    }

    static BufferedImage decode(byte[] image) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
            if (img == null) {
                throw new IllegalArgumentException("not an image");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encodePng(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface FrameSource {
        BufferedImage frame(int index);
    }

    private static byte[] encode(int fps, int frames, FrameSource source) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("scene-pipeline-sim-", ".mp4");
            AWTSequenceEncoder encoder = AWTSequenceEncoder.createSequenceEncoder(tmp.toFile(), fps);
            for (int i = 0; i < frames; i++) {
                encoder.encodeImage(source.frame(i));
            }
            encoder.finish();
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width, int maxLines) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        for (int i = 0; i < Math.min(maxLines, lines.size()); i++) {
            String l = lines.get(i);
            if (i == maxLines - 1 && lines.size() > maxLines) {
                l = l + " …";
            }
            g.drawString(l, x, y + i * (fm.getHeight() + 4) + fm.getAscent());
        }
    }
}

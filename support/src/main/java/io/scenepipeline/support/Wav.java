package io.scenepipeline.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** The one RIFF/WAVE reader and writer of the project (16-bit mono PCM): headers, durations. */
public final class Wav {

    private Wav() {
    }

    public static boolean isWav(byte[] b) {
        return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'A' && b[10] == 'V' && b[11] == 'E';
    }

    /** Wraps raw 16-bit little-endian mono samples in a WAV header. */
    public static byte[] fromPcm16(byte[] pcm, int sampleRate) {
        return ByteBuffer.allocate(44 + pcm.length).put(header(pcm.length, sampleRate)).put(pcm).array();
    }

    /** The 44-byte header of a 16-bit mono WAV holding {@code dataBytes} of samples. */
    public static byte[] header(long dataBytes, int sampleRate) {
        int data = (int) Math.min(dataBytes, Integer.MAX_VALUE - 36);
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + data).put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt(data);
        return b.array();
    }

    /**
     * A WAV file's length in seconds from its header (the data chunk's size over the byte rate, bounded by the file's
     * size), without reading the samples.
     *
     * @throws IOException when the file is not a WAV or has no data chunk
     */
    public static double seconds(Path wav) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(wav.toFile(), "r")) {
            byte[] head = new byte[(int) Math.min(f.length(), 4096)];
            f.readFully(head);
            if (head.length < 44 || !isWav(head)) {
                throw new IOException(wav.getFileName() + " is not a WAV file");
            }
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            int byteRate = b.getInt(28);
            int pos = 12;
            while (pos + 8 <= head.length) {
                long size = b.getInt(pos + 4) & 0xffffffffL;
                if (head[pos] == 'd' && head[pos + 1] == 'a' && head[pos + 2] == 't' && head[pos + 3] == 'a') {
                    long data = Math.min(size, f.length() - pos - 8);
                    return byteRate > 0 ? data / (double) byteRate : 0;
                }
                pos += 8 + (int) size + (int) (size & 1);
            }
            throw new IOException(wav.getFileName() + " has no data chunk");
        }
    }

    /** Duration in milliseconds of a 16-bit mono WAV held in memory, read from its header. */
    public static long durationMillis(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int rate = b.getInt(24);
        int bytesPerSecond = b.getInt(28);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int size = b.getInt(pos + 4);
            if (wav[pos] == 'd' && wav[pos + 1] == 'a' && wav[pos + 2] == 't' && wav[pos + 3] == 'a') {
                int data = Math.min(size, wav.length - pos - 8);
                return bytesPerSecond > 0 ? data * 1000L / bytesPerSecond : data * 1000L / (rate * 2L);
            }
            pos += 8 + size + (size & 1);
        }
        return 0;
    }
}

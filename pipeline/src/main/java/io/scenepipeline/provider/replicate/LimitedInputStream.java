package io.scenepipeline.provider.replicate;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with a {@link ForbiddenDownloadException} once more than {@code max} bytes were read. */
final class LimitedInputStream extends FilterInputStream {

    private final long max;
    private long read;

    LimitedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) {
        read += n;
        if (read > max) {
            throw new ForbiddenDownloadException("Refusing the output: it is larger than replicate.max-download-bytes (" + max + ")");
        }
    }
}

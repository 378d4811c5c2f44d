package io.scenepipeline.provider;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deadline for a whole provider call: from the moment the request goes out (after a connection was had from the
 * provider's pool) to the last byte of the answer. A read timeout fires only when a connection goes quiet, so a
 * server that trickles a byte a second would hold a call as long as it liked; this closes the connection when the
 * deadline passes, whatever the server does, and the call fails with a {@link CallDeadlineException} that says which
 * deadline and how many bytes had arrived. The deadline is the endpoint's {@code responseTimeout} (the setting named by
 * {@code key}). An answer larger than {@code maxBytes} is cut off too ({@link ResponseTooLargeException}).
 *
 * <p>One instance per kind of call, given to its camel-http endpoints as {@code httpClientConfigurer}.
 */
public final class CallDeadline implements HttpClientConfigurer {

    /** The largest JSON answer read (a prediction, an alignment): 16 MiB. */
    public static final long MAX_JSON_ANSWER_BYTES = 16L << 20;

    private final String key;
    private final long maxBytes;
    private final ScheduledExecutorService timer;

    /**
     * @param key      the setting that holds the deadline, for the message ({@code replicate.download-timeout})
     * @param maxBytes the largest answer read
     * @param timer    where the deadlines wait (a small shared scheduler)
     */
    public CallDeadline(String key, long maxBytes, ScheduledExecutorService timer) {
        this.key = key;
        this.maxBytes = maxBytes;
        this.timer = timer;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // bodies as sent (no gzip): the bytes counted against maxBytes are the bytes read, and a small compressed
        // answer cannot unpack into a huge one
        builder.disableContentCompression();
        builder.addExecInterceptorAfter(ChainElement.CONNECT.name(), "call-deadline", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        RequestConfig config = scope.clientContext.getRequestConfig();
        Timeout timeout = config == null ? null : config.getResponseTimeout();
        Watch watch = new Watch(timeout == null || timeout.isDisabled() ? 0 : timeout.toMilliseconds(), scope.execRuntime);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                watch.done();
            } else {
                watch.expected = entity.getContentLength();
                if (watch.expected > maxBytes) {
                    // announced larger than read for this call: refused before a byte of the body is read
                    watch.done();
                    scope.execRuntime.discardEndpoint();
                    throw watch.tooLarge();
                }
                response.setEntity(new Counted(entity, watch));
            }
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            watch.done();
            if (watch.timedOut(e)) {
                throw watch.exceeded(e, false);
            }
            throw e;
        }
    }

    /** The deadline of one call: closes its connection when it passes. */
    private final class Watch {
        private final long ms;
        private final ScheduledFuture<?> alarm;
        final AtomicBoolean fired = new AtomicBoolean();
        final AtomicLong bytes = new AtomicLong();
        volatile long expected = -1;

        Watch(long ms, ExecRuntime runtime) {
            this.ms = ms;
            this.alarm = ms <= 0 ? null : timer.schedule(() -> {
                fired.set(true);
                runtime.discardEndpoint();
            }, ms, TimeUnit.MILLISECONDS);
        }

        void done() {
            if (alarm != null) {
                alarm.cancel(false);
            }
        }

        /** The deadline passed, or the read timeout (the same setting, for a server gone quiet) fired first. */
        boolean timedOut(Throwable e) {
            return fired.get() || (e instanceof SocketTimeoutException && !(e instanceof CallDeadlineException));
        }

        /** @param inBody the answer's status and headers had arrived */
        CallDeadlineException exceeded(Throwable cause, boolean inBody) {
            String within = " within " + seconds(ms) + " s (" + key + ")";
            String message;
            if (inBody) {
                long arrived = bytes.get();
                String of = expected >= 0 ? arrived + " of " + expected + " bytes" : arrived + " bytes";
                message = "No whole answer" + within + ": " + of + " of the body had arrived";
            } else {
                message = "No answer" + within;
            }
            CallDeadlineException e = new CallDeadlineException(message);
            e.initCause(cause);
            return e;
        }

        void count(long n) throws ResponseTooLargeException {
            if (bytes.addAndGet(n) > maxBytes) {
                done();
                throw tooLarge();
            }
        }

        ResponseTooLargeException tooLarge() {
            return new ResponseTooLargeException("The answer is larger than the " + maxBytes + " bytes read for this call ("
                    + (expected >= 0 ? expected + " bytes announced" : "no length announced") + ")");
        }
    }

    private static String seconds(long ms) {
        return BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** The answer's body, counted as it is read; its end (or close) ends the deadline. */
    private static final class Counted extends HttpEntityWrapper {
        private final Watch watch;

        Counted(HttpEntity entity, Watch watch) {
            super(entity);
            this.watch = watch;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                @Override
                public int read() throws IOException {
                    int b = guarded(() -> super.read());
                    if (b < 0) {
                        watch.done();
                    } else {
                        watch.count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = guarded(() -> super.read(buffer, off, len));
                    if (n < 0) {
                        watch.done();
                    } else {
                        watch.count(n);
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    watch.done();
                    try {
                        super.close();
                    } catch (IOException | RuntimeException e) {
                        if (!watch.fired.get()) {
                            throw e;
                        }
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        private int guarded(IoRead read) throws IOException {
            try {
                int n = read.read();
                if (n < 0 && watch.fired.get()) {
                    // the deadline closed the connection: an end that is no end of the body, said with what had arrived
                    throw watch.exceeded(null, true);
                }
                return n;
            } catch (CallDeadlineException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                if (watch.timedOut(e)) {
                    throw watch.exceeded(e, true);
                }
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface IoRead {
        int read() throws IOException;
    }
}

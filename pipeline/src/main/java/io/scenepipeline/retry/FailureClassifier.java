package io.scenepipeline.retry;

import io.scenepipeline.provider.TruncatedDownloadException;
import io.scenepipeline.provider.replicate.PredictionFailedException;
import io.scenepipeline.support.Causes;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a failed provider call is worth repeating, by the exception's type and the HTTP status only,
 * never by searching message text (docs/retries.md).
 *
 * <p>Retryable: connection refused or reset ({@link SocketException}, which includes
 * {@link java.net.ConnectException}), no response ({@link NoHttpResponseException}), connect or read timeout
 * ({@link SocketTimeoutException}), a body cut or broken in transit ({@link ConnectionClosedException},
 * {@link MalformedChunkCodingException}, a {@link TruncatedDownloadException}), a name that did not resolve (a DNS hiccup,
 * {@link java.net.UnknownHostException}), an answer that is not what the API sends (an HTML page from a proxy, broken
 * JSON: {@link io.scenepipeline.support.MalformedResponseException}), an HTTP status in {@code retry.retryable-status-codes},
 * a provider's "slow down" (a 429, {@link Throttling}: waited out whatever that list says), and a Replicate prediction that failed for a
 * transient reason. Everything else (other 4xx, validation errors, missing files, flagged content, …) is permanent.
 */
public final class FailureClassifier {

    private final Set<Integer> retryableStatuses;

    public FailureClassifier(Set<Integer> retryableStatuses) {
        this.retryableStatuses = Set.copyOf(retryableStatuses);
    }

    /** @param csv e.g. {@code 408,429,500,502,503,504} */
    public static FailureClassifier ofStatusList(String csv) {
        return new FailureClassifier(Arrays.stream(csv.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet()));
    }

    public boolean isRetryable(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            Boolean verdict = verdict(t);
            if (verdict != null) {
                return verdict;
            }
        }
        return false;
    }

    /** The HTTP status behind a failure, or null. */
    public static Integer httpStatus(Throwable failure) {
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return http == null ? null : http.getStatusCode();
    }

    public static Throwable caught(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private Boolean verdict(Throwable t) {
        if (t instanceof HttpOperationFailedException h) {
            return retryableStatuses.contains(h.getStatusCode()) || Throttling.isThrottle(h);
        }
        if (t instanceof PredictionFailedException p) {
            return p.isTransient();
        }
        if (t instanceof TruncatedDownloadException
                || t instanceof java.net.UnknownHostException
                || t instanceof io.scenepipeline.support.MalformedResponseException
                || t instanceof NoHttpResponseException
                || t instanceof ConnectionClosedException
                || t instanceof MalformedChunkCodingException
                || t instanceof SocketTimeoutException
                || t instanceof SocketException) {
            return true;
        }
        return null;
    }
}

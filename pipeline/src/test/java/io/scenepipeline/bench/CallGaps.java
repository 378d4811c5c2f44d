package io.scenepipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class CallGaps extends org.apache.camel.support.EventNotifierSupport {
    private final long pollNanos;
    private final Map<String, long[]> lastSent = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Queue<Long> routing = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<Long> afterDownload = new java.util.concurrent.ConcurrentLinkedQueue<>();

    CallGaps(long pollMs) {
        this.pollNanos = pollMs * 1_000_000;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(org.apache.camel.spi.CamelEvent event) {
        long now = System.nanoTime();
        if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeSendingEvent sending && isProvider(sending.getEndpoint())) {
            long[] previous = lastSent.get(sending.getExchange().getExchangeId());
            if (previous != null) {
                boolean poll = sending.getEndpoint().getEndpointUri().contains("throwExceptionOnFailure=false");
                long gap = Math.max(0, now - previous[0] - (poll ? pollNanos : 0));
                (previous[1] == 1 ? afterDownload : routing).add(gap);
            }
        } else if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeSentEvent sent && isProvider(sent.getEndpoint())) {
            // a streamed download's body (an output, the narration, the character video) is read after this event, so its
            // gap includes the transfer to disk (JSON answers are read and let go without the stream cache too: not these)
            String uri = sent.getEndpoint().getEndpointUri();
            boolean streamed = uri.contains("DownloadDeadline") || uri.contains("ExportDeadline") || uri.contains("elevenlabsCallDeadline");
            lastSent.put(sent.getExchange().getExchangeId(), new long[] {now, streamed ? 1 : 0});
        }
    }

    private static boolean isProvider(org.apache.camel.Endpoint endpoint) {
        return endpoint != null && endpoint.getEndpointUri().startsWith("http");
    }

    int count() {
        return routing.size();
    }

    /** Median gap after a JSON answer (create, poll): routing, parsing and the journal write. */
    double medianMs() {
        return median(routing);
    }

    /** Median gap after a streamed download: the body to disk, its hash, the journal, the next request's body. */
    double medianAfterDownloadMs() {
        return median(afterDownload);
    }

    private static double median(java.util.Collection<Long> gaps) {
        List<Long> all = new ArrayList<>(gaps);
        all.sort(Long::compare);
        return all.isEmpty() ? Double.NaN : Math.round(all.get(all.size() / 2) / 1000.0) / 1000.0;
    }
}

/** Samples live threads (the simulator's own excluded) and heap in use every 10 ms. */

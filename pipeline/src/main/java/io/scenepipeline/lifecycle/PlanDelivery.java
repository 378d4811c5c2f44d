package io.scenepipeline.lifecycle;

import org.apache.camel.Exchange;

/**
 * How a plan came in, in one typed exchange property set at intake: the file's bytes as submitted (written to
 * {@code plan.json} in the outbox or the dead letter, even when they are not a valid plan), whether it came from the
 * plans queue (cluster mode: a plan that is not this node's is rolled back to the broker, not left in
 * {@code work/inflight/}), and, at a node's inbox in cluster mode, the line that says it was queued.
 */
final class PlanDelivery {

    static final String PROPERTY = "planDelivery";

    private final boolean fromQueue;
    private volatile byte[] bytes;
    private volatile String queuedLine;
    private volatile boolean left;

    private PlanDelivery(boolean fromQueue) {
        this.fromQueue = fromQueue;
    }

    /** The exchange's delivery, begun at intake (from a file unless {@link #fromQueue(Exchange)} said otherwise). */
    static PlanDelivery of(Exchange exchange) {
        PlanDelivery delivery = exchange.getProperty(PROPERTY, PlanDelivery.class);
        if (delivery == null) {
            delivery = new PlanDelivery(false);
            exchange.setProperty(PROPERTY, delivery);
        }
        return delivery;
    }

    /** Begins the delivery of a plan taken from the plans queue. */
    static PlanDelivery fromQueue(Exchange exchange) {
        PlanDelivery delivery = new PlanDelivery(true);
        exchange.setProperty(PROPERTY, delivery);
        return delivery;
    }

    /** The delivery of the exchange, or null before intake read anything. */
    static PlanDelivery peek(Exchange exchange) {
        return exchange.getProperty(PROPERTY, PlanDelivery.class);
    }

    boolean fromQueue() {
        return fromQueue;
    }

    byte[] bytes() {
        return bytes;
    }

    void bytes(byte[] submitted) {
        this.bytes = submitted;
    }

    /** The plan was left (cut off by a stop, handed on to another node): not ended here, not a failure to report. */
    boolean wasLeft() {
        return left;
    }

    void left() {
        this.left = true;
    }

    String queuedLine() {
        return queuedLine;
    }

    void queuedLine(String line) {
        this.queuedLine = line;
    }
}

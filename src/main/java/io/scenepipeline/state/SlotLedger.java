package io.scenepipeline.state;

import java.time.Duration;

/**
 * Limits that hold for the whole account, whatever number of processes share it: slots of a pool (one face_rig server's
 * calls at a time, ElevenLabs' concurrent requests) and a number of uses per window (Replicate's creates per minute).
 * One process needs nothing more than its own counting ({@link #LOCAL}); cluster mode keeps them in PostgreSQL.
 */
public interface SlotLedger {

    /** One process: every slot is this process's own, and its own throttle holds the rate. */
    SlotLedger LOCAL = new SlotLedger() {
        @Override
        public boolean tryTake(String pool, int capacity) {
            return true;
        }

        @Override
        public void give(String pool) {
        }

        @Override
        public Duration tryUse(String pool, int perWindow, Duration window) {
            return Duration.ZERO;
        }
    };

    /** Takes one of the {@code capacity} slots of {@code pool}; false when all are held (elsewhere). */
    boolean tryTake(String pool, int capacity);

    /** Gives back one slot of {@code pool} taken by {@link #tryTake}. */
    void give(String pool);

    /**
     * Counts one use of {@code pool} when fewer than {@code perWindow} were counted within the last {@code window}, and
     * returns zero; else counts nothing and returns how long until a use frees.
     */
    Duration tryUse(String pool, int perWindow, Duration window);
}

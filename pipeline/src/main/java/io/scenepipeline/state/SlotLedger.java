package io.scenepipeline.state;

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
        public boolean shared() {
            return false;
        }

        @Override
        public long pace(String pool, long intervalMs, int burst) {
            return 0;
        }

        @Override
        public void holdPace(String pool, long ms) {
        }
    };

    /** Takes one of the {@code capacity} slots of {@code pool}; false when all are held (elsewhere). */
    boolean tryTake(String pool, int capacity);

    /** Gives back one slot of {@code pool} taken by {@link #tryTake}. */
    void give(String pool);

    /** Are the limits shared with other processes (cluster mode)? A pace then takes its turns here. */
    boolean shared();

    /**
     * Takes the next turn of the rate {@code pool} (one every {@code intervalMs}, at most {@code burst} at once, for all
     * processes together) and returns how long to wait for it (ms).
     */
    long pace(String pool, long intervalMs, int burst);

    /** The account asked everyone to wait: no turn of {@code pool} comes sooner than {@code ms} from now. */
    void holdPace(String pool, long ms);
}

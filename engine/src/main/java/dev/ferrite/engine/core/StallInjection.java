package dev.ferrite.engine.core;

/**
 * Named points inside the write and reclaim paths where a test can deschedule the calling thread
 * for as long as it likes, to check the claim that a thread stalled anywhere inside an operation
 * cannot stop another thread from completing its own (the randomized stall test in {@code stress}
 * parks threads at these points for whole laps of the log). Each point is the inside of a window
 * that some part of the stall protocol (forced reclaim, quarantine, deferral, settling) exists for.
 *
 * <p>Off unless the JVM starts with {@code -Dferrite.stallInjection=true}: {@link #ENABLED} is a
 * {@code static final} read once, so with it off the JIT removes every call (as Agrona's
 * {@code SHOULD_BOUNDS_CHECK}), and {@link #install} refuses. Never turn it on in production.
 */
public final class StallInjection
{
    /** System property that turns the points on; for tests only. */
    public static final String ENABLED_PROP_NAME = "ferrite.stallInjection";
    public static final boolean ENABLED = Boolean.getBoolean(ENABLED_PROP_NAME);

    /** A writer after its tail CAS, before its record's first word: a walk cannot step past it. */
    public static final int PUT_ALLOCATED = 0;
    /** A writer with its record's first word written, before the rest of the record. */
    public static final int PUT_HEADER_WRITTEN = 1;
    /** A writer whose link check passed, before its index CAS. */
    public static final int PUT_BEFORE_LINK = 2;
    /** A writer right after its index CAS, before its bookkeeping and its late-link check. */
    public static final int PUT_LINKED = 3;
    /** A remove whose tombstone's link check passed, before its index CAS. */
    public static final int REMOVE_BEFORE_LINK = 4;
    /** A reclaim helper that claimed a batch of records on the cursor, before settling any. */
    public static final int RECLAIM_CLAIMED = 5;
    /** A relocation whose copy is written and validated, before its link check and index CAS. */
    public static final int COPY_BEFORE_LINK = 6;
    /** A thread that walked the whole segment, before the state CAS that finishes it. */
    public static final int RECLAIM_BEFORE_FINISH = 7;
    /** A thread about to reopen a deferred segment (eviction off), after walking it. */
    public static final int DEFERRED_BEFORE_REOPEN = 8;
    /** A reader between copying a value out and validating what it read. */
    public static final int GET_BEFORE_VALIDATE = 9;
    /** A relocation that decided to keep a record (with eviction on, settled by it), before it copies. */
    public static final int RELOCATION_BEFORE_COPY = 10;
    /**
     * A reclaim helper between two copies of its relocation run: the room left is covered by a filler
     * and announced in its registry slot as unwritten, so a walk stops short of it and the memory is
     * not reused under it (see RelocationRun).
     */
    public static final int RELOCATION_RUN_BETWEEN_COPIES = 11;
    public static final int POINT_COUNT = 12;

    private static final String[] NAMES = {
        "PUT_ALLOCATED", "PUT_HEADER_WRITTEN", "PUT_BEFORE_LINK", "PUT_LINKED", "REMOVE_BEFORE_LINK",
        "RECLAIM_CLAIMED", "COPY_BEFORE_LINK", "RECLAIM_BEFORE_FINISH", "DEFERRED_BEFORE_REOPEN", "GET_BEFORE_VALIDATE",
        "RELOCATION_BEFORE_COPY", "RELOCATION_RUN_BETWEEN_COPIES"};

    /** What a test does when a thread reaches a point: usually nothing, sometimes sleep. */
    @FunctionalInterface
    public interface Plan
    {
        void reached(int point);
    }

    private static volatile Plan plan;

    private StallInjection()
    {
    }

    /** Installs {@code plan} for every thread (null removes it). */
    public static void install(final Plan newPlan)
    {
        if (!ENABLED)
        {
            throw new IllegalStateException("start the JVM with -D" + ENABLED_PROP_NAME + "=true to install a stall plan");
        }
        plan = newPlan;
    }

    public static String name(final int point)
    {
        return NAMES[point];
    }

    /** Called at each point; compiled away when {@link #ENABLED} is false. */
    static void at(final int point)
    {
        if (ENABLED)
        {
            final Plan current = plan;
            if (current != null)
            {
                current.reached(point);
            }
        }
    }
}

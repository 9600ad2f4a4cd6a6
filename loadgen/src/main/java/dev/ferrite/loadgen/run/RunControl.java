package dev.ferrite.loadgen.run;

/** Tells requesters when to stop issuing. */
final class RunControl
{
    private volatile boolean running = true;

    boolean running()
    {
        return running;
    }

    void stop()
    {
        running = false;
    }
}

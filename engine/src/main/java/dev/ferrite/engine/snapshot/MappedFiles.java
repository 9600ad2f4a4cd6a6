package dev.ferrite.engine.snapshot;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

/**
 * Releasing Chronicle mappings deterministically. {@link MappedBytes#releaseLast()} unmaps the
 * chunks and closes the file, unless Chronicle's background releaser is on (its default), in which
 * case some of that may be queued to the {@code background~resource~releaser} thread; waiting for
 * the queue means no snapshot file stays mapped or open once a write or load returns. Running with
 * {@code -Dbackground.releaser=false} (in {@code ferrite.jvm.flags}) avoids that thread altogether.
 */
final class MappedFiles
{
    /** Chunk overlap: Chronicle maps each chunk with this much of the next, for reads that straddle them. */
    static final long OVERLAP_BYTES = 64 << 10;

    private MappedFiles()
    {
    }

    static void release(final MappedBytes bytes)
    {
        if (bytes != null && bytes.refCount() > 0)
        {
            bytes.releaseLast();
        }
        BackgroundResourceReleaser.releasePendingResources();
    }

    static void checkChunkBytes(final long chunkBytes)
    {
        if (chunkBytes < OVERLAP_BYTES || Long.bitCount(chunkBytes) != 1)
        {
            throw new IllegalArgumentException("chunkBytes=" + chunkBytes + " must be a power of two of at least " +
                OVERLAP_BYTES);
        }
    }
}

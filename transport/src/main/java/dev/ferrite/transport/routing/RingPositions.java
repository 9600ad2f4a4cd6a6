package dev.ferrite.transport.routing;

/**
 * Where virtual nodes and slots sit on the 64-bit hash ring.
 *
 * <p>Positions must be identical in every JVM, on every restart and in every language a client may
 * be written in, so they come from fixed arithmetic only: never {@code hashCode()} of a string or a
 * record, never a seed drawn at run time. Each input is packed into one 64-bit word, a domain
 * constant keeps slot and virtual-node positions from being the same function, and the word goes
 * through the SplitMix64 finalizer (Stafford's variant 13 of MurmurHash3's {@code fmix64}): full
 * avalanche, so consecutive ids and indexes land far apart.
 *
 * <p>The finalizer is a bijection on 64-bit words, so two distinct (nodeId, index) pairs never get
 * the same position, and neither do two distinct slots.
 */
final class RingPositions
{
    /** The golden ratio in 64 bits, SplitMix64's increment: spreads packed inputs before mixing. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long VIRTUAL_NODE_DOMAIN = 0x5652_4E4F_4445_0001L; // "VRNODE" + 1
    private static final long SLOT_DOMAIN = 0x534C_4F54_0000_0001L;         // "SLOT" + 1

    private RingPositions()
    {
    }

    /** Position of virtual node {@code index} (0-based) of node {@code nodeId} (both non-negative). */
    static long ofVirtualNode(final int nodeId, final int index)
    {
        final long packed = ((long)nodeId << 32) | (index & 0xFFFF_FFFFL);
        return mix64((packed ^ VIRTUAL_NODE_DOMAIN) * GOLDEN_GAMMA);
    }

    /** Position of a key slot (0..16383). */
    static long ofSlot(final int slot)
    {
        return mix64((slot ^ SLOT_DOMAIN) * GOLDEN_GAMMA);
    }

    /** SplitMix64 / Stafford variant 13 finalizer: a bijection with full avalanche. */
    static long mix64(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

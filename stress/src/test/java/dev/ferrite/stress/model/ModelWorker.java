package dev.ferrite.stress.model;

import dev.ferrite.engine.EntryMeta;
import dev.ferrite.engine.FerriteCache;
import dev.ferrite.engine.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One thread of the randomized model test. It alone writes its owned keys, so a plain map is an
 * exact reference model for them: every answer the cache gives about an owned key is checked
 * against it on the spot. With eviction on the only slack is that a present key may be gone (a
 * miss); after that the model forgets it, so a later hit on the old value (a resurrection) fails.
 * Values are compared byte for byte and versions and expiries exactly, so a stale or foreign
 * value never passes. Shared keys, written by all threads, get the weaker checks of
 * {@link SharedValue} and {@link SharedKeyLedger}.
 */
final class ModelWorker
{
    static final int MAX_VALUE_LENGTH = 300;
    /** Owned keys [0, COLD_KEYS) are written once before the first round and never again: compaction must carry them. */
    static final int COLD_KEYS = 16;
    private static final int MAX_VIOLATIONS = 20;
    private static final long UNKNOWN_VERSION = -1;

    private final int id;
    private final FerriteCache cache;
    private final boolean evictionEnabled;
    private final long tickMillis;
    private final SharedKeyLedger ledger;
    private final Random random;

    private final UnsafeBuffer[] ownedKeys;
    private final Map<Integer, ModelEntry> model = new HashMap<>();
    /** With eviction on: what the model held for a key when a miss made it presume the key evicted. */
    private final Map<Integer, ModelEntry> presumedEvicted = new HashMap<>();
    private final UnsafeBuffer[] sharedKeys;
    private final long[] lastSharedVersionSeen;

    private final UnsafeBuffer value = new UnsafeBuffer(new byte[MAX_VALUE_LENGTH]);
    private final UnsafeBuffer destination = new UnsafeBuffer(new byte[4096]);
    private final EntryMeta meta = new EntryMeta();
    private final List<String> violations = new ArrayList<>();
    private long sharedSequence;
    private long nowMillis;
    private String where = "";

    // What this worker did, to check the cache's statistics against.
    long gets;
    long successfulWrites;
    long successfulRemoves;
    long fullRefusals;
    long missesOfModelledKeys;
    long operations;

    ModelWorker(
        final int id, final FerriteCache cache, final boolean evictionEnabled, final long tickMillis,
        final int ownedKeyCount, final int sharedKeyCount, final SharedKeyLedger ledger, final long seed)
    {
        this.id = id;
        this.cache = cache;
        this.evictionEnabled = evictionEnabled;
        this.tickMillis = tickMillis;
        this.ledger = ledger;
        this.random = new Random(seed);
        this.ownedKeys = new UnsafeBuffer[ownedKeyCount];
        for (int i = 0; i < ownedKeyCount; i++)
        {
            ownedKeys[i] = new UnsafeBuffer(ownedKeyName(id, i).getBytes(StandardCharsets.US_ASCII));
        }
        this.sharedKeys = new UnsafeBuffer[sharedKeyCount];
        for (int i = 0; i < sharedKeyCount; i++)
        {
            sharedKeys[i] = new UnsafeBuffer(sharedKeyName(i).getBytes(StandardCharsets.US_ASCII));
        }
        this.lastSharedVersionSeen = new long[sharedKeyCount];
        this.history = new long[ownedKeyCount][HISTORY * 3];
        this.historyNext = new int[ownedKeyCount];
    }

    static String ownedKeyName(final int worker, final int index)
    {
        return "owned:" + worker + ":" + index;
    }

    static String sharedKeyName(final int index)
    {
        return "shared:" + index;
    }

    Map<Integer, ModelEntry> model()
    {
        return model;
    }

    List<String> violations()
    {
        return violations;
    }

    /** Writes the cold keys, once; they stay in the model, never touched until the final check. */
    void writeColdKeys(final long nowMillis)
    {
        this.nowMillis = nowMillis;
        for (int key = 0; key < COLD_KEYS; key++)
        {
            where = "cold write worker " + id + " key " + ownedKeyName(id, key);
            final int length = nextValue(key);
            final UnsafeBuffer k = ownedKeys[key];
            final long result = cache.put(k, 0, k.capacity(), value, 0, length, 0);
            if (expect(result > 0, "cold put returned " + Status.describe(result)))
            {
                stored(key, length, result, 0);
            }
        }
    }

    /** Runs {@code count} random operations; the clock reads {@code nowMillis} throughout (it moves only between rounds). */
    void runRound(final int count, final long nowMillis, final int round)
    {
        this.nowMillis = nowMillis;
        for (int i = 0; i < count && violations.size() < MAX_VIOLATIONS; i++)
        {
            operations++;
            if (random.nextInt(100) < 15)
            {
                sharedOperation(random.nextInt(sharedKeys.length));
            }
            else
            {
                final int key = COLD_KEYS + random.nextInt(ownedKeys.length - COLD_KEYS);
                where = "round " + round + " worker " + id + " key " + ownedKeyName(id, key);
                ownedOperation(key);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Owned keys: exact model.

    /** What the last owned operation answered, for {@link #history}: MIN_VALUE for a get. */
    private long lastResult;
    /** Per owned key, the last {@value #HISTORY} operations: (dice, answer, model version after), oldest first in turn. */
    private static final int HISTORY = 8;
    private final long[][] history;
    private final int[] historyNext;

    private void ownedOperation(final int key)
    {
        final int dice = random.nextInt(100);
        lastResult = Long.MIN_VALUE;
        try
        {
            ownedOperation(key, dice);
        }
        finally
        {
            final int at = (historyNext[key]++ % HISTORY) * 3;
            final ModelEntry entry = model.get(key);
            history[key][at] = dice;
            history[key][at + 1] = lastResult;
            history[key][at + 2] = entry == null ? 0 : entry.version();
        }
    }

    /** The key's last operations, for a violation's message: which write a stale answer came from. */
    private String history(final int key)
    {
        final StringBuilder text = new StringBuilder("; last operations (dice, answer, model version after):");
        for (int n = Math.max(0, historyNext[key] - HISTORY); n < historyNext[key]; n++)
        {
            final int at = (n % HISTORY) * 3;
            text.append(" [").append(history[key][at]).append(", ").append(history[key][at + 1]).append(", ")
                .append(history[key][at + 2]).append(']');
        }
        return text.toString();
    }

    private void ownedOperation(final int key, final int dice)
    {
        if (dice < 35)
        {
            checkGet(key);
        }
        else if (dice < 55)
        {
            put(key);
        }
        else if (dice < 62)
        {
            putIfAbsent(key);
        }
        else if (dice < 69)
        {
            replace(key);
        }
        else if (dice < 77)
        {
            compareAndSet(key);
        }
        else if (dice < 86)
        {
            remove(key);
        }
        else if (dice < 92)
        {
            removeIfVersion(key);
        }
        else
        {
            touch(key);
        }
    }

    private ModelEntry live(final int key)
    {
        final ModelEntry entry = model.get(key);
        return entry != null && entry.isLiveAt(nowMillis) ? entry : null;
    }

    private void checkGet(final int key)
    {
        gets++;
        final UnsafeBuffer k = ownedKeys[key];
        final int length = cache.get(k, 0, k.capacity(), destination, 0, meta);
        final ModelEntry expected = live(key);
        if (expected == null)
        {
            expect(length == Status.MISS, () -> "get of an absent or expired key returned " + Status.describe(length) +
                " version " + meta.version() + unexpectedHitDiagnosis(key, meta.version()));
            return;
        }
        if (length == Status.MISS)
        {
            evictedOrViolation(key, "get");
            return;
        }
        final boolean sameValue = length == expected.value().length && sameBytes(destination, expected.value());
        expect(sameValue && meta.version() == expected.version() && meta.expiresAtMillis() == expected.expiresAtMillis(),
            "get returned length " + length + " version " + meta.version() + " expiry " + meta.expiresAtMillis() +
            (sameValue ? " (same bytes)" : " (different bytes)") + " but the model holds version " + expected.version() +
            " expiry " + expected.expiresAtMillis() + " length " + expected.value().length);
    }

    private void put(final int key)
    {
        final long expiresAt = randomExpiry();
        final int length = nextValue(key);
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.put(k, 0, k.capacity(), value, 0, length, expiresAt);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        final ModelEntry previous = live(key);
        if (expect(result > 0, "put returned " + Status.describe(result)))
        {
            if (previous != null && !evictionEnabled)
            {
                expect(result > previous.version(), "put returned version " + result + " not above the previous " + previous.version());
            }
            stored(key, length, result, expiresAt);
        }
    }

    private void putIfAbsent(final int key)
    {
        final long expiresAt = randomExpiry();
        final int length = nextValue(key);
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.putIfAbsent(k, 0, k.capacity(), value, 0, length, expiresAt);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        final ModelEntry previous = live(key);
        if (previous != null && result == Status.EXISTS)
        {
            return;
        }
        if (previous != null && result > 0 && evictionEnabled)
        {
            missesOfModelledKeys++; // evicted, then written afresh
            stored(key, length, result, expiresAt);
            return;
        }
        if (expect(previous == null && result > 0, () -> "putIfAbsent returned " + Status.describe(result) + " with the key " +
            (previous == null ? "absent" + unexpectedHitDiagnosis(key, UNKNOWN_VERSION) : "present")))
        {
            stored(key, length, result, expiresAt);
        }
    }

    private void replace(final int key)
    {
        final long expiresAt = randomExpiry();
        final int length = nextValue(key);
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.replace(k, 0, k.capacity(), value, 0, length, expiresAt);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        final ModelEntry previous = live(key);
        if (previous == null)
        {
            expect(result == Status.MISS, () -> "replace of an absent key returned " + Status.describe(result) +
                unexpectedHitDiagnosis(key, UNKNOWN_VERSION));
        }
        else if (result == Status.MISS)
        {
            evictedOrViolation(key, "replace");
        }
        else if (expect(result > previous.version(), "replace returned " + Status.describe(result) + " over version " + previous.version()))
        {
            stored(key, length, result, expiresAt);
        }
    }

    private void compareAndSet(final int key)
    {
        final ModelEntry previous = live(key);
        final long expected = expectedVersionFor(previous);
        final long expiresAt = randomExpiry();
        final int length = nextValue(key);
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.compareAndSet(k, 0, k.capacity(), value, 0, length, expiresAt, expected);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        if (previous == null)
        {
            expect(result == Status.MISS, () -> "compareAndSet on an absent key returned " + Status.describe(result) +
                unexpectedHitDiagnosis(key, UNKNOWN_VERSION));
        }
        else if (result == Status.MISS)
        {
            evictedOrViolation(key, "compareAndSet");
        }
        else if (expected == previous.version())
        {
            if (expect(result > previous.version(), "compareAndSet with the current version returned " + Status.describe(result)))
            {
                stored(key, length, result, expiresAt);
            }
        }
        else
        {
            expect(result == Status.VERSION_MISMATCH, "compareAndSet with a wrong version returned " + Status.describe(result));
        }
    }

    private void remove(final int key)
    {
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.remove(k, 0, k.capacity());
        lastResult = result;
        if (refusedFull(result))
        {
            return; // no room for a tombstone: nothing removed
        }
        final ModelEntry previous = live(key);
        if (previous == null)
        {
            expect(result == Status.MISS, () -> "remove of an absent key returned " + Status.describe(result) +
                unexpectedHitDiagnosis(key, result));
        }
        else if (result == Status.MISS)
        {
            evictedOrViolation(key, "remove");
        }
        else if (expect(result == previous.version(), "remove returned " + Status.describe(result) + " but the model holds version " +
            previous.version()))
        {
            successfulRemoves++;
            model.remove(key);
            presumedEvicted.remove(key);
        }
    }

    private void removeIfVersion(final int key)
    {
        final ModelEntry previous = live(key);
        final long expected = expectedVersionFor(previous);
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.remove(k, 0, k.capacity(), expected);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        if (previous == null)
        {
            expect(result == Status.MISS, () -> "conditional remove of an absent key returned " + Status.describe(result) +
                unexpectedHitDiagnosis(key, UNKNOWN_VERSION));
        }
        else if (result == Status.MISS)
        {
            evictedOrViolation(key, "conditional remove");
        }
        else if (expected == previous.version())
        {
            if (expect(result == previous.version(), "conditional remove with the current version returned " + Status.describe(result)))
            {
                successfulRemoves++;
                model.remove(key);
                presumedEvicted.remove(key);
            }
        }
        else
        {
            expect(result == Status.VERSION_MISMATCH, "conditional remove with a wrong version returned " + Status.describe(result));
        }
    }

    private void touch(final int key)
    {
        final long expiresAt = randomExpiry();
        final UnsafeBuffer k = ownedKeys[key];
        final long result = cache.touch(k, 0, k.capacity(), expiresAt);
        lastResult = result;
        if (refusedFull(result))
        {
            return;
        }
        final ModelEntry previous = live(key);
        if (previous == null)
        {
            expect(result == Status.MISS, () -> "touch of an absent key returned " + Status.describe(result) +
                unexpectedHitDiagnosis(key, result));
        }
        else if (result == Status.MISS)
        {
            evictedOrViolation(key, "touch");
        }
        else if (expect(result > 0, "touch of a present key returned " + Status.describe(result)))
        {
            // The new expiry is in place whatever version touch reports; check the report separately.
            model.put(key, previous.withExpiry(expiresAt));
            expect(result == previous.version() || KnownDefects.TOLERATED, "touch returned version " + result +
                " but the key's version is " + previous.version() + " (engine defect 4, see TouchVersionDefectTest)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Shared keys: well-formed values that some write produced, and (eviction off) versions that
    // never go back for one reader, its own writes included.

    private void sharedOperation(final int key)
    {
        final UnsafeBuffer k = sharedKeys[key];
        where = "worker " + id + " key " + sharedKeyName(key);
        final int dice = random.nextInt(100);
        if (dice < 50)
        {
            gets++;
            final int length = cache.get(k, 0, k.capacity(), destination, 0, meta);
            if (length == Status.MISS)
            {
                expect(evictionEnabled || lastSharedVersionSeen[key] == 0, "get missed a shared key that is never removed");
                return;
            }
            if (expect(length >= 0 && SharedValue.isWellFormed(destination, length), "torn or foreign shared value, length " + length))
            {
                ledger.read(key, meta.version(), SharedValue.writer(destination), SharedValue.sequence(destination));
                sawSharedVersion(key, meta.version(), "get");
            }
            return;
        }
        final long sequence = ++sharedSequence;
        final int length = SharedValue.encode(value, id, sequence, random.nextInt(MAX_VALUE_LENGTH - SharedValue.HEADER_LENGTH));
        final long result = dice < 90 ?
            cache.put(k, 0, k.capacity(), value, 0, length, 0) :
            cache.putIfAbsent(k, 0, k.capacity(), value, 0, length, 0);
        if (refusedFull(result) || result == Status.EXISTS)
        {
            return;
        }
        if (expect(result > 0, "shared write returned " + Status.describe(result)))
        {
            successfulWrites++;
            ledger.wrote(key, result, id, sequence);
            sawSharedVersion(key, result, "write");
        }
    }

    private void sawSharedVersion(final int key, final long version, final String how)
    {
        if (!evictionEnabled)
        {
            expect(version >= lastSharedVersionSeen[key], how + " saw version " + version + " after this thread had seen " +
                lastSharedVersionSeen[key]);
        }
        lastSharedVersionSeen[key] = Math.max(lastSharedVersionSeen[key], version);
    }

    // ---------------------------------------------------------------------------------------------

    /** 30% of writes expire one to three ticks from now: the clock advances a tick per round. */
    private long randomExpiry()
    {
        return random.nextInt(10) < 3 ? nowMillis + tickMillis * (1 + random.nextInt(3)) : 0;
    }

    /** The current version most of the time, otherwise a wrong one. */
    private long expectedVersionFor(final ModelEntry entry)
    {
        if (entry != null && random.nextInt(10) < 7)
        {
            return entry.version();
        }
        return entry == null ? 1 + random.nextInt(1 << 20) : entry.version() + 1 + random.nextInt(3);
    }

    /** Fills {@link #value} with a fresh random value of random length, naming this worker and key in its first bytes. */
    private int nextValue(final int key)
    {
        final int length = 8 + random.nextInt(MAX_VALUE_LENGTH - 8);
        value.putInt(0, id);
        value.putInt(4, key);
        for (int i = 8; i < length; i++)
        {
            value.putByte(i, (byte)random.nextInt());
        }
        return length;
    }

    private void stored(final int key, final int length, final long version, final long expiresAt)
    {
        successfulWrites++;
        presumedEvicted.remove(key);
        final byte[] copy = new byte[length];
        value.getBytes(0, copy);
        model.put(key, new ModelEntry(copy, version, expiresAt));
    }

    private boolean refusedFull(final long result)
    {
        if (result == Status.FULL)
        {
            fullRefusals++;
            return true;
        }
        return false;
    }

    /** A modelled key missed: with eviction on it was evicted (forget it); with eviction off it was lost. */
    private void evictedOrViolation(final int key, final String operation)
    {
        if (evictionEnabled)
        {
            missesOfModelledKeys++;
            presumedEvicted.put(key, model.remove(key));
        }
        else
        {
            expect(false, operation + " missed a present key with eviction off (entry lost)");
        }
    }

    /**
     * Why a key the model holds as absent answered: if an earlier miss made the model presume it
     * evicted, and it now shows the very version it had then, that miss was spurious (the key never
     * left); anything else is a resurrected or foreign entry.
     */
    private String unexpectedHitDiagnosis(final int key, final long version)
    {
        final ModelEntry before = presumedEvicted.get(key);
        if (before != null && before.version() == version)
        {
            return ": the same version it had when an earlier operation missed it with no write since, so that miss " +
                "was spurious: the key was never gone (engine defect 1, see ReclaimRaceDefectTest)";
        }
        if (before != null && version == UNKNOWN_VERSION)
        {
            return ": it was presumed evicted after an earlier miss with no write since, so that miss was likely " +
                "spurious (engine defect 1, see ReclaimRaceDefectTest)";
        }
        return (before != null ? ": not the version " + before.version() + " it had before it was missed (resurrected)" :
            " (stale or resurrected)") + history(key);
    }

    private boolean expect(final boolean condition, final java.util.function.Supplier<String> message)
    {
        if (!condition && violations.size() < MAX_VIOLATIONS)
        {
            violations.add(where + ": " + message.get());
        }
        return condition;
    }

    private boolean expect(final boolean condition, final String message)
    {
        if (!condition && violations.size() < MAX_VIOLATIONS)
        {
            violations.add(where + ": " + message);
        }
        return condition;
    }

    private static boolean sameBytes(final UnsafeBuffer buffer, final byte[] expected)
    {
        final byte[] actual = new byte[expected.length];
        buffer.getBytes(0, actual);
        return Arrays.equals(actual, expected);
    }
}

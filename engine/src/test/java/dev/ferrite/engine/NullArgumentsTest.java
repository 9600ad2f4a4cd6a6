package dev.ferrite.engine;

import dev.ferrite.engine.core.Store;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A null in place of any object argument of any operation is refused with a
 * {@link NullPointerException} before it changes anything: the entries stay, the statistics do not
 * move, and the operation leaves nothing behind (a registry slot it kept would make {@code close}
 * wait for good; a record it allocated would be space the store never gets back).
 */
class NullArgumentsTest
{
    private static final byte[] KEY = "present".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "its value".getBytes(StandardCharsets.US_ASCII);

    static List<CacheMatrix.Case> cases()
    {
        return CacheMatrix.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseEveryNullArgumentAndChangeNothing(final CacheMatrix.Case matrixCase)
    {
        final CachedEpochClock clock = CacheMatrix.clock();
        final FerriteCache cache = matrixCase.create(clock);
        final long version = cache.put(KEY, VALUE);
        assertTrue(version > 0);
        final CacheStats before = cache.stats();

        final UnsafeBuffer key = new UnsafeBuffer(KEY);
        final UnsafeBuffer value = new UnsafeBuffer(VALUE);
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[64]);
        final int n = KEY.length;
        final int v = VALUE.length;
        final Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("get(buffer) key", () -> cache.get(null, 0, n, destination, 0, null));
        calls.put("containsKey(buffer)", () -> cache.containsKey(null, 0, n));
        calls.put("put(buffer) key", () -> cache.put(null, 0, n, value, 0, v, 0));
        calls.put("put(buffer) value", () -> cache.put(key, 0, n, null, 0, v, 0));
        calls.put("putIfAbsent(buffer) key", () -> cache.putIfAbsent(null, 0, n, value, 0, v, 0));
        calls.put("putIfAbsent(buffer) value", () -> cache.putIfAbsent(key, 0, n, null, 0, v, 0));
        calls.put("replace(buffer) key", () -> cache.replace(null, 0, n, value, 0, v, 0));
        calls.put("replace(buffer) value", () -> cache.replace(key, 0, n, null, 0, v, 0));
        calls.put("compareAndSet(buffer) key", () -> cache.compareAndSet(null, 0, n, value, 0, v, 0, version));
        calls.put("compareAndSet(buffer) value", () -> cache.compareAndSet(key, 0, n, null, 0, v, 0, version));
        calls.put("put(general) key", () -> cache.put(null, 0, n, value, 0, v, 0, Store.PUT_ALWAYS, 0, null));
        calls.put("put(general) value", () -> cache.put(key, 0, n, null, 0, v, 0, Store.PUT_ALWAYS, 0, null));
        calls.put("restore(buffer) key", () -> cache.restore(null, 0, n, value, 0, v, 0, version + 10));
        calls.put("restore(buffer) value", () -> cache.restore(key, 0, n, null, 0, v, 0, version + 10));
        calls.put("remove(buffer)", () -> cache.remove(null, 0, n));
        calls.put("remove(buffer, version)", () -> cache.remove(null, 0, n, version));
        calls.put("touch(buffer)", () -> cache.touch(null, 0, n, 0));
        calls.put("get(byte[])", () -> cache.get((byte[])null));
        calls.put("get(byte[], meta)", () -> cache.get(null, new EntryMeta()));
        calls.put("containsKey(byte[])", () -> cache.containsKey((byte[])null));
        calls.put("put(byte[]) key", () -> cache.put(null, VALUE));
        calls.put("put(byte[]) value", () -> cache.put(KEY, null));
        calls.put("put(byte[], ttl) value", () -> cache.put(KEY, null, 0));
        calls.put("putIfAbsent(byte[]) key", () -> cache.putIfAbsent(null, VALUE, 0));
        calls.put("putIfAbsent(byte[]) value", () -> cache.putIfAbsent(KEY, null, 0));
        calls.put("replace(byte[]) key", () -> cache.replace(null, VALUE, 0));
        calls.put("replace(byte[]) value", () -> cache.replace(KEY, null, 0));
        calls.put("compareAndSet(byte[]) key", () -> cache.compareAndSet(null, VALUE, 0, version));
        calls.put("compareAndSet(byte[]) value", () -> cache.compareAndSet(KEY, null, 0, version));
        calls.put("remove(byte[])", () -> cache.remove((byte[])null));
        calls.put("touch(byte[])", () -> cache.touch(null, 0));
        calls.put("scan", () -> cache.scan(null));
        calls.put("scanSlot", () -> cache.scanSlot(0, null));
        calls.put("scan(range)", () -> cache.scan(0, 1, null));
        calls.put("writeSnapshot", () -> cache.writeSnapshot(null));
        calls.put("loadSnapshot", () -> cache.loadSnapshot(null));
        calls.put("asMap key codec", () -> cache.asMap(null, Codecs.STRING));
        calls.put("asMap value codec", () -> cache.asMap(Codecs.STRING, null));

        assertAll(calls.entrySet().stream().map(call ->
            () -> assertThrows(NullPointerException.class, call.getValue(), call.getKey())));

        final CacheStats after = cache.stats();
        assertEquals(before.puts(), after.puts(), "puts counted by refused calls: " + after);
        assertEquals(before.removes(), after.removes(), after.toString());
        assertEquals(before.hits() + before.misses(), after.hits() + after.misses(), "reads counted by refused calls: " + after);
        assertEquals(1, after.entries(), after.toString());
        assertEquals(before.bytesInUse(), after.bytesInUse(), "a refused call kept log space: " + after);
        final EntryMeta meta = new EntryMeta();
        // A null destination is the documented way to learn a value's length and version.
        assertEquals(Status.BUFFER_TOO_SMALL, cache.get(key, 0, n, null, 0, meta));
        assertEquals(v, meta.valueLength());
        assertEquals(version, meta.version());
        assertArrayEquals(VALUE, cache.get(KEY, meta));
        assertEquals(version, meta.version(), "the entry was rewritten");

        // Every refused call released what it held: the store still writes, and close does not wait.
        assertTrue(cache.put("after".getBytes(StandardCharsets.US_ASCII), VALUE) > 0);
        assertTimeoutPreemptively(Duration.ofSeconds(10), cache::close, "close waited for an operation a null left open");
    }
}

package dev.ferrite.engine;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Guava testlib's ConcurrentMap conformance suite (thousands of generated tests over the map and
 * its key, value and entry views) run over {@link FerriteMap}, in two configurations: the default
 * index sizing, and a single index slot so that every key shares one chain (exercising tombstones
 * and chain walks on every operation).
 *
 * <p>Off-heap memory is not reclaimed by the GC, and one test may create many maps (the iterator
 * testers create one per explored sequence), so every cache created is recorded and closed in the
 * suite's tear-down, which Guava runs after each test, derived view suites included.
 */
// Every generated test asserts the ConcurrentMap contract inside Guava testlib's testers.
@RunWith(AllTests.class)
public final class FerriteMapConformanceTest
{
    /**
     * Generous for the handful of small entries a generated test holds, and small because one
     * iterator test creates close to 200 maps before its tear-down: about 50 MiB off-heap at peak.
     */
    private static final long CAPACITY_BYTES = 256 << 10;
    private static final List<FerriteCache> OPEN_CACHES = new ArrayList<>();

    public static Test suite()
    {
        final TestSuite suite = new TestSuite("FerriteMap conformance");
        suite.addTest(suiteFor("FerriteMap[default index]", () -> new CacheConfig()));
        suite.addTest(suiteFor("FerriteMap[one index slot]", () -> new CacheConfig().indexSlots(1)));
        // Iteration, views and bulk operations over several stores (the map pages through shards).
        suite.addTest(suiteFor("FerriteMap[4 shards]", () -> new CacheConfig().shards(4)));
        return suite;
    }

    private static Test suiteFor(final String name, final Supplier<CacheConfig> config)
    {
        return ConcurrentMapTestSuiteBuilder
            .using(new TestStringMapGenerator()
            {
                @Override
                protected Map<String, String> create(final Map.Entry<String, String>[] entries)
                {
                    // Eviction off: a conformance test must never see an entry vanish.
                    final FerriteCache cache = FerriteCache.create(
                        config.get().capacityBytes(CAPACITY_BYTES).evictionEnabled(false));
                    OPEN_CACHES.add(cache);
                    final FerriteMap<String, String> map = cache.asMap(Codecs.STRING, Codecs.STRING);
                    for (final Map.Entry<String, String> entry : entries)
                    {
                        map.put(entry.getKey(), entry.getValue());
                    }
                    return map;
                }
            })
            .named(name)
            .withFeatures(
                MapFeature.GENERAL_PURPOSE,
                CollectionSize.ANY,
                CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
            .withTearDown(FerriteMapConformanceTest::closeOpenCaches)
            .createTestSuite();
    }

    private static void closeOpenCaches()
    {
        for (final FerriteCache cache : OPEN_CACHES)
        {
            cache.close();
        }
        OPEN_CACHES.clear();
    }
}

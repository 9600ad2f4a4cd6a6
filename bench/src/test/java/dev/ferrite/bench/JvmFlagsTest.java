package dev.ferrite.bench;

import dev.ferrite.bench.throughput.ThroughputBenchmark;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest
{
    @Test
    void shouldCarryTheParentPomFlagsIntoTheJar()
    {
        final List<String> flags = JvmFlags.ferriteFlags();
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags.toString());
    }

    @Test
    void shouldKeepTheBenchmarkAnnotationFlagsEqualToTheBuiltInOnes()
    {
        final List<String> annotated = new ArrayList<>(Arrays.asList(
            ThroughputBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()));
        annotated.removeIf(flag -> flag.startsWith("-Xm") || flag.startsWith("-XX:"));
        // The JDK 24+ profile adds --sun-misc-unsafe-memory-access=allow when building there; the
        // annotation cannot carry it, since JDK 17 refuses to start with an unknown option.
        final List<String> expected = new ArrayList<>(JvmFlags.forkFlags());
        expected.remove("--sun-misc-unsafe-memory-access=allow");
        assertEquals(expected, annotated,
            "@Fork(jvmArgsAppend) of ThroughputBenchmark must repeat ferrite.jvm.flags and Chronicle Map's flags");
    }
}

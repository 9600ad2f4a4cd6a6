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
        assertEquals(JvmFlags.forkFlags(), annotated,
            "@Fork(jvmArgsAppend) of ThroughputBenchmark must repeat ferrite.jvm.flags and Chronicle Map's flags");
    }
}

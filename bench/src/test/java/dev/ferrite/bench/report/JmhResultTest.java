package dev.ferrite.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JmhResultTest
{
    @Test
    void shouldLeaveOutEachForksLastIterationWhichRunsTheTeardown() throws Exception
    {
        final var metric = new ObjectMapper().readTree("{\"score\": 0.5, \"rawData\": [[0.01, 0.03, 0.02, 1.5], [0.04, 2.0]]}");
        assertEquals(0.025, JmhResult.steadyBytesPerOp(metric), 1e-12);
    }

    @Test
    void shouldKeepASingleIteration() throws Exception
    {
        final var metric = new ObjectMapper().readTree("{\"score\": 0.5, \"rawData\": [[0.7]]}");
        assertEquals(0.7, JmhResult.steadyBytesPerOp(metric), 1e-12);
    }

    @Test
    void shouldNameMixes()
    {
        assertEquals("get", JmhResult.mixName(100));
        assertEquals("put", JmhResult.mixName(0));
        assertEquals("90/10 get/put", JmhResult.mixName(90));
    }
}

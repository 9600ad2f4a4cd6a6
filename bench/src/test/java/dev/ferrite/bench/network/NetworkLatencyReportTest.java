package dev.ferrite.bench.network;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkLatencyReportTest
{
    private static final RoundTrip NOTHING = () -> { };

    @Test
    void shouldPutEachFerriteFigureBesideRawAeronsWithTheRatioAndVerdict()
    {
        final List<NetworkLatencyReport.Result> results = List.of(
            result("get", Exchange.RAW_AERON, 10_000, 20_000),
            result("get", Exchange.FERRITE, 12_000, 50_000),
            result("set", Exchange.RAW_AERON, 10_000, 20_000),
            result("set", Exchange.FERRITE, 16_000, 30_000));

        final String md = NetworkLatencyReport.format(results, List.of("run note"), List.of("cores (nproc): 2"));

        assertTrue(md.contains("| get | 37 / 145 | raw Aeron | 10.0 | 20.0 |"), md);
        assertTrue(md.contains("| get | | **Ferrite / raw** | 1.20× | 2.50× |"), md);
        assertTrue(md.contains("get: Ferrite's p50 is 1.20× raw Aeron's: target (≤ 1.5×) met."), md);
        assertTrue(md.contains("set: Ferrite's p50 is 1.60× raw Aeron's: target (≤ 1.5×) NOT met."), md);
        assertTrue(md.contains("- run note") && md.contains("- cores (nproc): 2"), md);
    }

    @Test
    void shouldSayFerriteWasNotMeasuredWhenOnlyTheBaselineRan()
    {
        final String md = NetworkLatencyReport.format(
            List.of(result("get", Exchange.RAW_AERON, 10_000, 20_000)), List.of(), List.of());

        assertTrue(md.contains("Ferrite: not measured"), md);
        assertTrue(!md.contains("Ferrite / raw"), md);
    }

    private static NetworkLatencyReport.Result result(final String operation, final String stack, final long p50Ns, final long p90Ns)
    {
        return new NetworkLatencyReport.Result(new Exchange(operation, stack, 37, 145, NOTHING),
            new LatencySummary(1000, p50Ns, p90Ns, p90Ns * 2, p90Ns * 3, p90Ns * 4));
    }
}

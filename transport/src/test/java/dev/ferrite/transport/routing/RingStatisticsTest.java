package dev.ferrite.transport.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingStatisticsTest
{
    @Test
    void shouldMeasureBalanceAsTheLargestShareOverTheMean()
    {
        final List<NodeEndpoint> nodes = RingStatistics.loopbackNodes(2);
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        Arrays.fill(owners, 0, SlotTable.SLOT_COUNT / 4, 1); // node 1: a quarter, node 2: three quarters
        Arrays.fill(owners, SlotTable.SLOT_COUNT / 4, SlotTable.SLOT_COUNT, 2);

        assertEquals(1.5, RingStatistics.balance(new SlotTable(1, nodes, owners)), 1e-9);
    }

    @Test
    void shouldCountTheSlotsWhoseOwnerChanged()
    {
        final List<NodeEndpoint> nodes = RingStatistics.loopbackNodes(2);
        final int[] before = new int[SlotTable.SLOT_COUNT];
        Arrays.fill(before, 1);
        final int[] after = before.clone();
        Arrays.fill(after, 0, 4096, 2);

        assertEquals(0.25, RingStatistics.movedFraction(new SlotTable(1, nodes, before), new SlotTable(2, nodes, after)), 1e-9);
    }

    @Test
    void shouldKeepTheTableInDocsRoutingMdEqualToWhatTheReportPrints() throws IOException
    {
        final List<RingBalanceReport.Row> rows = new ArrayList<>();
        for (final int nodeCount : RingBalanceReport.NODE_COUNTS)
        {
            for (final int virtualNodes : RingBalanceReport.VIRTUAL_NODE_COUNTS)
            {
                rows.add(RingBalanceReport.measure(nodeCount, virtualNodes));
            }
        }
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RingBalanceReport.print(rows, new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Surefire runs in the module directory. A mismatch means the ring changed: regenerate the
        // table (docs/routing.md says how) and say in the commit why slots moved.
        final String docs = Files.readString(Path.of("..", "docs", "routing.md"), StandardCharsets.UTF_8);
        final String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(docs.contains(table), "docs/routing.md does not hold the current table:\n" + table);
    }
}

package dev.ferrite.client;

import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.util.ArrayList;
import java.util.List;

import org.agrona.CloseHelper;

/** Three {@link FakeNode}s on one embedded media driver, slots split in three ranges (node i owns range i). */
final class FakeCluster implements AutoCloseable
{
    final EmbeddedMediaDriver driver;
    final List<FakeNode> nodes = new ArrayList<>();

    FakeCluster(final int size, final String secret)
    {
        driver = EmbeddedMediaDriver.launch("fake-nodes", IdleStrategies.BACKOFF);
        try
        {
            for (int i = 0; i < size; i++)
            {
                nodes.add(new FakeNode(i, driver.aeronDirectoryName(), secret));
            }
            applyTopology(splitTable(1, 0));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** Slots split in equal contiguous ranges, rotated by {@code shift} nodes (a topology change). */
    SlotTable splitTable(final long epoch, final int shift)
    {
        final List<NodeEndpoint> endpoints = new ArrayList<>();
        nodes.forEach(node -> endpoints.add(node.endpoint()));
        final int[] owners = new int[SlotTable.SLOT_COUNT];
        for (int slot = 0; slot < owners.length; slot++)
        {
            owners[slot] = (slot * nodes.size() / SlotTable.SLOT_COUNT + shift) % nodes.size();
        }
        return new SlotTable(epoch, endpoints, owners);
    }

    void applyTopology(final SlotTable table)
    {
        nodes.forEach(node -> node.applyTopology(table));
    }

    String[] seeds()
    {
        return nodes.stream().map(FakeNode::hostPort).toArray(String[]::new);
    }

    @Override
    public void close()
    {
        nodes.forEach(CloseHelper::quietClose);
        CloseHelper.quietClose(driver);
    }
}

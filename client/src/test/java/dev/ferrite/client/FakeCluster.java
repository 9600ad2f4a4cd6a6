package dev.ferrite.client;

import dev.ferrite.transport.aeron.EmbeddedMediaDriver;
import dev.ferrite.transport.aeron.IdleStrategies;
import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;

import java.util.ArrayList;
import java.util.List;

import org.agrona.CloseHelper;

/** {@link FakeNode}s on one embedded media driver, slots split in ranges (node i owns range i). */
final class FakeCluster implements TestCluster
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

    @Override
    public int size()
    {
        return nodes.size();
    }

    @Override
    public NodeEndpoint endpoint(final int node)
    {
        return nodes.get(node).endpoint();
    }

    @Override
    public void applyTopology(final int node, final SlotTable table)
    {
        nodes.get(node).applyTopology(table);
    }

    @Override
    public void stop(final int node)
    {
        nodes.get(node).close();
    }

    @Override
    public long movedAnswers(final int node)
    {
        return nodes.get(node).movedAnswers.get();
    }

    @Override
    public long keyedRequests(final int node)
    {
        return nodes.get(node).requestsServed.get();
    }

    @Override
    public long proxied(final int node)
    {
        return nodes.get(node).proxiedRequests.get();
    }

    @Override
    public void close()
    {
        nodes.forEach(CloseHelper::quietClose);
        CloseHelper.quietClose(driver);
    }
}

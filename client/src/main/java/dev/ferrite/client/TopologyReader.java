package dev.ferrite.client;

import dev.ferrite.transport.routing.NodeEndpoint;
import dev.ferrite.transport.routing.SlotTable;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.TopologyResponseDecoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes a TopologyResponse (nodes, then slot ranges) into a {@link SlotTable}, checking that it covers every slot. */
final class TopologyReader
{
    private TopologyReader()
    {
    }

    static SlotTable read(final PendingRequest request)
    {
        if (request.templateId() != TopologyResponseDecoder.TEMPLATE_ID)
        {
            throw request.templateId() == ErrorResponseDecoder.TEMPLATE_ID ? Answers.error(request) : Answers.unexpected(request, "topology");
        }
        final TopologyResponseDecoder response = request.codecs.topologyResponse;
        response.wrapAndApplyHeader(request.responseBuffer, 0, new MessageHeaderDecoder());
        final long epoch = response.epoch();
        final List<NodeEndpoint> nodes = new ArrayList<>();
        for (final TopologyResponseDecoder.NodesDecoder node : response.nodes())
        {
            final int nodeId = node.nodeId();
            final String[] hostPort = HostPort.parse(node.endpoint());
            nodes.add(new NodeEndpoint(nodeId, hostPort[0], Integer.parseInt(hostPort[1])));
        }
        final int[] ownerBySlot = new int[SlotTable.SLOT_COUNT];
        Arrays.fill(ownerBySlot, -1);
        for (final TopologyResponseDecoder.SlotRangesDecoder range : response.slotRanges())
        {
            final int first = range.firstSlot();
            final int last = range.lastSlot();
            final int owner = range.ownerNodeId();
            if (first < 0 || last >= SlotTable.SLOT_COUNT || first > last)
            {
                throw new FerriteException(ErrorCode.MALFORMED, "topology slot range " + first + ".." + last + " out of 0.." + (SlotTable.SLOT_COUNT - 1));
            }
            Arrays.fill(ownerBySlot, first, last + 1, owner);
        }
        try
        {
            return new SlotTable(epoch, nodes, ownerBySlot);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new FerriteException(ErrorCode.MALFORMED, "topology answer does not make a slot table: " + ex.getMessage(), ex);
        }
    }
}

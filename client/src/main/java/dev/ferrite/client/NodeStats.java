package dev.ferrite.client;

import java.util.Map;

/**
 * A node's counters, as its StatsResponse named them.
 *
 * @param nodeId   the node that answered.
 * @param counters counter name to value, in the node's order.
 */
public record NodeStats(int nodeId, Map<String, Long> counters)
{
}

package dev.ferrite.node.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelsTest
{
    @Test
    void shouldSetLargeSparseTermsEvenWhenTheChannelNamesOthers()
    {
        final String channel = Channels.withLargeTerms("aeron:udp?endpoint=127.0.0.1:5000|term-length=1073741824|sparse=false");
        assertTrue(channel.contains("term-length=16777216"), channel);
        assertTrue(channel.contains("sparse=true"), channel);
        assertFalse(channel.contains("1073741824"), channel);
        assertTrue(channel.contains("endpoint=127.0.0.1:5000"), channel);
    }
}

package dev.ferrite.bench.network;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FerriteMessageSizesTest
{
    @Test
    void shouldMatchTheSchemaLayoutByHand()
    {
        final FerriteMessageSizes sizes = FerriteMessageSizes.of(16, 100);
        final int header = 8;      // blockLength, templateId, schemaId, version: 4 x uint16
        final int lengthPrefix = 4; // varDataEncoding's uint32 length

        // GetRequest block: correlationId int64 + flags uint8.
        assertEquals(header + 9 + lengthPrefix + 16, sizes.getRequestBytes());
        // ValueResponse block: correlationId, result uint8, version, ttlRemainingMillis, numericValue.
        assertEquals(header + 33 + lengthPrefix + 100, sizes.getResponseBytes());
        // SetRequest block: correlationId, flags, condition uint8, ttlMillis, expectedVersion.
        assertEquals(header + 26 + lengthPrefix + 16 + lengthPrefix + 100, sizes.setRequestBytes());
        assertEquals(header + 33 + lengthPrefix, sizes.setResponseBytes());
    }
}

package dev.ferrite.engine.core;

import org.junit.jupiter.api.Test;

import static dev.ferrite.engine.log.RecordDescriptor.coveredLength;
import static dev.ferrite.engine.log.RecordDescriptor.fillerWord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RelocationRunTest
{
    /**
     * A run's room is covered by one filler word, whose length field has 28 bits: the cap is the
     * largest room it describes, and one word more wraps (review found a run of 280 MiB, possible with
     * 512 MiB segments and 250 MiB values, whose filler told a walk to step 14 MiB).
     */
    @Test
    void shouldCapARunAtTheLargestRoomOneFillerDescribes()
    {
        assertEquals(RelocationRun.MAX_RUN_BYTES, coveredLength(fillerWord(RelocationRun.MAX_RUN_BYTES)));
        assertNotEquals(RelocationRun.MAX_RUN_BYTES + 8, coveredLength(fillerWord(RelocationRun.MAX_RUN_BYTES + 8)));
        assertEquals(0, RelocationRun.MAX_RUN_BYTES % 8, "records and rooms are 8-aligned");
    }
}

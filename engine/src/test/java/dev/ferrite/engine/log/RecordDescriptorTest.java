package dev.ferrite.engine.log;

import org.junit.jupiter.api.Test;

import static dev.ferrite.engine.log.RecordDescriptor.ALIGNMENT;
import static dev.ferrite.engine.log.RecordDescriptor.FLAG_FILLER;
import static dev.ferrite.engine.log.RecordDescriptor.coveredLength;
import static dev.ferrite.engine.log.RecordDescriptor.fillerWord;
import static dev.ferrite.engine.log.RecordDescriptor.lengthsWord;
import static dev.ferrite.engine.log.RecordDescriptor.recordLength;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a segment walk steps by. A walk may read a word that is not a record's first word (old bytes
 * of a segment reused under a descheduled reclaimer); whatever it reads, the step must keep its
 * 8-byte reads inside the segment, so every covered length is a multiple of the alignment.
 */
class RecordDescriptorTest
{
    @Test
    void shouldCoverExactlyWhatAFillerWasWrittenFor()
    {
        for (int covered = 8; covered <= 4096; covered += ALIGNMENT)
        {
            assertEquals(covered, coveredLength(fillerWord(covered)));
        }
        assertEquals(recordLength(16, 100), coveredLength(lengthsWord(16, 7, 100, 0)));
    }

    @Test
    void shouldStepByWholeWordsOverAWordThatIsNotARecords()
    {
        // A filler flag in old bytes, with a value length no filler was written with.
        for (int valueLength = 0; valueLength < 64; valueLength++)
        {
            final int covered = coveredLength(lengthsWord(3, 11, valueLength, FLAG_FILLER));
            assertEquals(0, covered % ALIGNMENT, "value length " + valueLength);
            assertEquals(true, covered >= 8 + valueLength, "value length " + valueLength);
        }
    }
}

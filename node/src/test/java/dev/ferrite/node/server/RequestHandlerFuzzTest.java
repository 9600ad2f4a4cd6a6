package dev.ferrite.node.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds arbitrary bytes to the request handler and the handshake decoder. The input sits in a buffer
 * of exactly its length, so any read past the message end throws (Agrona bounds checks), which the
 * handler would answer INTERNAL: the test fails on any INTERNAL answer, on an answer that is not a
 * well-formed message of our schema, and on any exception from the handshake decoder.
 *
 * <p>The normal build runs the seed corpus in {@code RequestHandlerFuzzTestInputs/fuzzRequest};
 * {@code JAZZER_FUZZ=1 mvn -pl node test -Dtest=RequestHandlerFuzzTest} fuzzes for real.
 */
class RequestHandlerFuzzTest
{
    private static final HandlerFixture FIXTURE = new HandlerFixture(true);
    private static final HandshakeDecoder HANDSHAKE = new HandshakeDecoder();
    private static final MessageHeaderDecoder HEADER = new MessageHeaderDecoder();

    @AfterAll
    static void close()
    {
        FIXTURE.close();
    }

    @FuzzTest(maxDuration = "60s")
    void fuzzRequest(final byte[] data)
    {
        final UnsafeBuffer request = new UnsafeBuffer(data);
        final long internalBefore = FIXTURE.counters.errors(ErrorCode.INTERNAL);
        final int answerLength = FIXTURE.handler.handle(request, 0, data.length, FIXTURE.response, 0);
        assertEquals(internalBefore, FIXTURE.counters.errors(ErrorCode.INTERNAL), "the handler read out of bounds or threw");
        if (answerLength != RequestHandler.FORWARD)
        {
            assertTrue(answerLength >= MessageHeaderDecoder.ENCODED_LENGTH + 8, "answer length " + answerLength);
            HEADER.wrap(FIXTURE.response, 0);
            assertEquals(MessageHeaderDecoder.SCHEMA_ID, HEADER.schemaId());
            assertTrue(HEADER.blockLength() + MessageHeaderDecoder.ENCODED_LENGTH <= answerLength, "block inside the answer");
            assertEquals(FIXTURE.handler.correlationId(), FIXTURE.response.getLong(MessageHeaderDecoder.ENCODED_LENGTH,
                java.nio.ByteOrder.LITTLE_ENDIAN), "the answer repeats the correlation id");
        }
        HANDSHAKE.decodeHello(request, 0, data.length);
        HANDSHAKE.decodeAuthenticate(request, 0, data.length);
    }
}

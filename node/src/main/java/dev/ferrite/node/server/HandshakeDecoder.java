package dev.ferrite.node.server;

import dev.ferrite.transport.sbe.AuthenticateRequestDecoder;
import dev.ferrite.transport.sbe.HelloRequestDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Decodes the two session messages (hello, authenticate) with every wire length checked against
 * the message length, like {@link RequestHandler} does for the others. Not thread-safe.
 */
public final class HandshakeDecoder
{
    /** Longest response channel a hello may name; Aeron URIs are far shorter. */
    public static final int MAX_CHANNEL_LENGTH = 1024;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HelloRequestDecoder hello = new HelloRequestDecoder();
    private final AuthenticateRequestDecoder authenticate = new AuthenticateRequestDecoder();
    private final VarData var = new VarData();

    private long correlationId;
    private long clientId;
    private int responseStreamId;
    private String responseChannel;
    private int clientNonceOffset;
    private int clientNonceLength;
    private int proofOffset;
    private int proofLength;

    /** @return true when {@code buffer} holds a well-formed hello whose channel looks like an Aeron URI. */
    public boolean decodeHello(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!wrapHeader(buffer, offset, length, HelloRequestDecoder.TEMPLATE_ID, HelloRequestDecoder.BLOCK_LENGTH))
        {
            return false;
        }
        hello.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
        correlationId = hello.correlationId();
        clientId = hello.clientId();
        responseStreamId = hello.responseStreamId();
        if (var.readVarData(buffer, hello.limit(), offset + length) < 0 || var.dataLength > MAX_CHANNEL_LENGTH)
        {
            return false;
        }
        final String channel = buffer.getStringWithoutLengthUtf8(var.dataOffset, var.dataLength);
        if (!channel.startsWith("aeron:udp?") && !channel.startsWith("aeron:ipc"))
        {
            return false;
        }
        responseChannel = channel;
        return true;
    }

    /** @return true when {@code buffer} holds a well-formed authenticate request. */
    public boolean decodeAuthenticate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!wrapHeader(buffer, offset, length, AuthenticateRequestDecoder.TEMPLATE_ID, AuthenticateRequestDecoder.BLOCK_LENGTH))
        {
            return false;
        }
        authenticate.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
        correlationId = authenticate.correlationId();
        final int end = offset + length;
        final int next = var.readVarData(buffer, authenticate.limit(), end);
        if (next < 0)
        {
            return false;
        }
        clientNonceOffset = var.dataOffset;
        clientNonceLength = var.dataLength;
        if (var.readVarData(buffer, next, end) < 0)
        {
            return false;
        }
        proofOffset = var.dataOffset;
        proofLength = var.dataLength;
        return true;
    }

    private boolean wrapHeader(
        final DirectBuffer buffer, final int offset, final int length, final int templateId, final int minBlockLength)
    {
        correlationId = 0;
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        header.wrap(buffer, offset);
        final int blockLength = header.blockLength();
        return header.schemaId() == MessageHeaderDecoder.SCHEMA_ID && header.version() >= 1 &&
            header.templateId() == templateId && blockLength >= minBlockLength && blockLength <= length - HEADER_LENGTH;
    }

    public long correlationId()
    {
        return correlationId;
    }

    public long clientId()
    {
        return clientId;
    }

    public int responseStreamId()
    {
        return responseStreamId;
    }

    public String responseChannel()
    {
        return responseChannel;
    }

    public int clientNonceOffset()
    {
        return clientNonceOffset;
    }

    public int clientNonceLength()
    {
        return clientNonceLength;
    }

    public int proofOffset()
    {
        return proofOffset;
    }

    public int proofLength()
    {
        return proofLength;
    }

    static String utf8(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

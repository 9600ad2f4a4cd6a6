package dev.ferrite.transport;

/**
 * Numbers both ends of a Ferrite connection must agree on. The session flow is described in
 * {@code docs/protocol.md}; the messages in {@code src/main/resources/sbe/ferrite-protocol.xml}.
 */
public final class ProtocolConstants
{
    /** Stream id of a node's request channel ({@code aeron:udp?endpoint=host:port}). */
    public static final int REQUEST_STREAM_ID = 10;

    /** Default stream id of a client's response channel (the client names it in its hello). */
    public static final int RESPONSE_STREAM_ID = 20;

    /** Length of the server's and the client's authentication nonces. */
    public static final int NONCE_LENGTH = 16;

    /** The proof is HMAC-SHA256, 32 bytes. */
    public static final String PROOF_ALGORITHM = "HmacSHA256";

    private ProtocolConstants()
    {
    }
}

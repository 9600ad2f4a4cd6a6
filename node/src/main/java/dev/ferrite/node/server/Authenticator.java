package dev.ferrite.node.server;

import dev.ferrite.transport.ProtocolConstants;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.DirectBuffer;

/**
 * Challenge-response authentication with a shared secret (docs/protocol.md): the node sends a random
 * nonce sN, the client answers with its own nonce sC and
 * {@code proof = HMAC-SHA256(secret, sN | sC | clientId as 8 bytes little-endian)}. The secret never
 * crosses the wire, and proofs are compared in constant time ({@link MessageDigest#isEqual}).
 *
 * <p>Not thread-safe (one {@link Mac} reused): one per server thread, or per client.
 */
public final class Authenticator
{
    public static final int PROOF_LENGTH = 32;

    private final Mac mac;
    private final SecureRandom random = new SecureRandom();
    private final byte[] expected = new byte[PROOF_LENGTH];
    private final byte[] offered = new byte[PROOF_LENGTH];
    private final byte[] clientIdBytes = new byte[8];

    public Authenticator(final String sharedSecret)
    {
        if (sharedSecret == null || sharedSecret.isEmpty())
        {
            throw new IllegalArgumentException("sharedSecret must not be empty");
        }
        try
        {
            mac = Mac.getInstance(ProtocolConstants.PROOF_ALGORITHM);
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), ProtocolConstants.PROOF_ALGORITHM));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot set up " + ProtocolConstants.PROOF_ALGORITHM, ex);
        }
    }

    /** Fills {@code nonce} with random bytes from a {@link SecureRandom}. */
    public void nextNonce(final byte[] nonce)
    {
        random.nextBytes(nonce);
    }

    /** Computes the proof into {@code proof} (32 bytes at {@code proofOffset}). */
    public void proof(
        final byte[] serverNonce, final DirectBuffer clientNonce, final int clientNonceOffset, final int clientNonceLength,
        final long clientId, final byte[] proof, final int proofOffset)
    {
        mac.update(serverNonce, 0, serverNonce.length);
        for (int i = 0; i < clientNonceLength; i++)
        {
            mac.update(clientNonce.getByte(clientNonceOffset + i));
        }
        for (int i = 0; i < 8; i++)
        {
            clientIdBytes[i] = (byte)(clientId >>> (8 * i));
        }
        mac.update(clientIdBytes, 0, 8);
        try
        {
            mac.doFinal(proof, proofOffset);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** True when the offered proof matches; compares in constant time. */
    public boolean verify(
        final byte[] serverNonce, final DirectBuffer buffer, final int clientNonceOffset, final int clientNonceLength,
        final long clientId, final int proofOffset, final int proofLength)
    {
        if (proofLength != PROOF_LENGTH || clientNonceLength != ProtocolConstants.NONCE_LENGTH)
        {
            return false;
        }
        proof(serverNonce, buffer, clientNonceOffset, clientNonceLength, clientId, expected, 0);
        buffer.getBytes(proofOffset, offered, 0, PROOF_LENGTH);
        return MessageDigest.isEqual(expected, offered);
    }
}

package dev.ferrite.client;

import dev.ferrite.transport.ProtocolConstants;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client's half of challenge-response authentication (docs/protocol.md, "Session"):
 * {@code proof = HMAC-SHA256(secret, serverNonce | clientNonce | clientId as 8 bytes little-endian)}.
 * The secret itself never leaves the client.
 */
final class AuthProof
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthProof()
    {
    }

    static byte[] newClientNonce()
    {
        final byte[] nonce = new byte[ProtocolConstants.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    static byte[] proof(final byte[] secret, final byte[] serverNonce, final byte[] clientNonce, final long clientId)
    {
        try
        {
            final Mac mac = Mac.getInstance(ProtocolConstants.PROOF_ALGORITHM);
            mac.init(new SecretKeySpec(secret, ProtocolConstants.PROOF_ALGORITHM));
            mac.update(serverNonce);
            mac.update(clientNonce);
            final byte[] id = new byte[Long.BYTES];
            for (int i = 0; i < Long.BYTES; i++)
            {
                id[i] = (byte)(clientId >>> (8 * i));
            }
            mac.update(id);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ProtocolConstants.PROOF_ALGORITHM + " unavailable", ex);
        }
    }
}

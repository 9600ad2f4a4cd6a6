package dev.ferrite.client;

import dev.ferrite.transport.sbe.ChallengeResponseDecoder;
import dev.ferrite.transport.sbe.ErrorCode;
import dev.ferrite.transport.sbe.ErrorResponseDecoder;
import dev.ferrite.transport.sbe.MessageHeaderDecoder;
import dev.ferrite.transport.sbe.WelcomeResponseDecoder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The hello (and, with a secret, challenge-response) exchange of docs/protocol.md that opens a
 * {@link NodeSession}, run by the caller that needs the session.
 *
 * <h2>Attempts</h2>
 * A hello can be lost: sent while a node restarts (the old process gone, the new one not listening
 * yet), it reaches nobody, and the publication still looks connected until the driver notices. So each
 * attempt has its own timeout, 100 ms doubling to 1 s, and one that times out starts over with a new
 * hello, until the request's deadline. A second hello is safe (the node restarts the session); an
 * authenticate is never sent twice (the node refuses a second one), a new attempt starts with a hello.
 * A node answering STOPPING is asked again after the same pauses as a request ({@link RequestDispatcher}).
 */
final class SessionHandshake
{
    private static final long FIRST_ATTEMPT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_ATTEMPT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    /** What a node's welcome tells: its id, its table's epoch, and the image its answers come through. */
    record Welcome(int nodeId, long topologyEpoch, int replyImageSessionId)
    {
    }

    private SessionHandshake()
    {
    }

    /**
     * Runs attempts until one is welcomed.
     *
     * @throws FerriteTimeoutException   when no attempt is answered before the deadline.
     * @throws NodeUnreachableException  when the request channel is not connected.
     * @throws FerriteException          when the node refuses (authentication) or answers nonsense.
     */
    static Welcome open(final NodeSession session, final SessionContext context, final long deadlineNs)
    {
        long attemptTimeoutNs = FIRST_ATTEMPT_TIMEOUT_NS;
        int stoppingAnswers = 0;
        while (true)
        {
            if (session.isClosed())
            {
                throw new FerriteException(ErrorCode.UNAVAILABLE, "client closed");
            }
            final PendingRequest request = context.requests().acquireForHandshake(deadlineNs);
            request.reset(earlier(deadlineNs, System.nanoTime() + attemptTimeoutNs));
            request.waiter = Thread.currentThread(); // its sentGeneration stays UNWATCHED: it opens the generation
            try
            {
                if (attempt(session, context, request) == PendingRequest.ANSWERED)
                {
                    final int templateId = request.templateId();
                    if (templateId == WelcomeResponseDecoder.TEMPLATE_ID)
                    {
                        final WelcomeResponseDecoder welcome = request.codecs.welcome;
                        welcome.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
                        return new Welcome(welcome.nodeId(), welcome.topologyEpoch(), request.responseImageSessionId);
                    }
                    if (templateId != ErrorResponseDecoder.TEMPLATE_ID)
                    {
                        throw Answers.unexpected(request, "session handshake with " + session.hostPort());
                    }
                    final long stoppingPauseNs = RequestDispatcher.stoppingPauseNs(stoppingAnswers++);
                    if (Answers.errorCode(request) != ErrorCode.STOPPING ||
                        System.nanoTime() + stoppingPauseNs - deadlineNs > 0)
                    {
                        throw Answers.error(request);
                    }
                    LockSupport.parkNanos(stoppingPauseNs);
                }
                else if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new FerriteTimeoutException("no answer to hello from " + session.hostPort() + " before the deadline");
                }
                else
                {
                    attemptTimeoutNs = Math.min(MAX_ATTEMPT_TIMEOUT_NS, attemptTimeoutNs * 2);
                }
            }
            finally
            {
                context.requests().release(request);
            }
        }
    }

    /** One hello, and an authenticate if challenged: ANSWERED (the last answer is in the slot) or TIMED_OUT. */
    private static int attempt(final NodeSession session, final SessionContext context, final PendingRequest request)
    {
        request.requestLength = request.codecs.hello(
            request.requestBuffer, context.clientId(), context.responseStreamId(), context.responseChannel());
        if (roundTrip(session, context, request, "hello") == PendingRequest.TIMED_OUT)
        {
            return PendingRequest.TIMED_OUT;
        }
        if (request.templateId() != ChallengeResponseDecoder.TEMPLATE_ID)
        {
            return PendingRequest.ANSWERED;
        }
        final ChallengeResponseDecoder challenge = request.codecs.challenge;
        challenge.wrapAndApplyHeader(request.responseBuffer, 0, request.codecs.headerDecoder);
        final byte[] serverNonce = new byte[challenge.serverNonceLength()];
        challenge.getServerNonce(serverNonce, 0, serverNonce.length);
        if (context.secret() == null)
        {
            throw new FerriteException(
                ErrorCode.NOT_AUTHENTICATED, "node " + session.hostPort() + " requires a secret and none is configured");
        }
        final byte[] clientNonce = AuthProof.newClientNonce();
        final byte[] proof = AuthProof.proof(context.secret(), serverNonce, clientNonce, context.clientId());
        request.requestLength = request.codecs.authenticate(request.requestBuffer, clientNonce, proof);
        return roundTrip(session, context, request, "authenticate");
    }

    private static int roundTrip(
        final NodeSession session, final SessionContext context, final PendingRequest request, final String step)
    {
        final int sent = Wire.send(session, request);
        if (sent == Wire.NOT_CONNECTED || sent == Wire.CLOSED)
        {
            throw new NodeUnreachableException(session.hostPort());
        }
        if (sent == Wire.BACK_PRESSURED)
        {
            return PendingRequest.TIMED_OUT;
        }
        final int outcome = Wire.await(request, context.requests().pollerDuty());
        if (outcome == PendingRequest.FAILED)
        {
            throw Answers.failure(request);
        }
        if (outcome == PendingRequest.ANSWERED && request.responseLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw Answers.unexpected(request, step);
        }
        return outcome;
    }

    private static long earlier(final long aNs, final long bNs)
    {
        return aNs - bNs < 0 ? aNs : bNs;
    }
}

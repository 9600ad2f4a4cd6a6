package dev.ferrite.client;

import io.aeron.Aeron;

/** What every node session of one client shares: where answers go and how to prove who we are. */
record SessionContext(
    Aeron aeron,
    PendingRequests requests,
    long clientId,
    String responseChannel,
    int responseStreamId,
    byte[] secret,
    long connectTimeoutNs,
    ReplyImages replyImages,
    PollerWakeup pollerWakeup)
{
}

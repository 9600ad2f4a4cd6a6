package dev.ferrite.client;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.UnavailableImageHandler;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node session each image of the response subscription belongs to (a node's reply publication
 * to us makes one image, told apart by its Aeron session id). When the image goes away, the node has
 * closed our session (it restarted or stopped), so the session is marked stale: the next request
 * says hello again (a restarted node silently drops requests from sessions it does not know), and
 * requests in flight on it are sent again or failed at once (see {@link NodeSession}).
 *
 * <p>Threading: registered by the thread that completed a handshake; the handler runs on the Aeron
 * client's conductor thread. Neither is on the hot path (boxing the id is fine here).
 */
final class ReplyImages implements UnavailableImageHandler
{
    private final ConcurrentHashMap<Integer, NodeSession> sessionByImage = new ConcurrentHashMap<>();
    private volatile Subscription subscription;

    /** Set once, right after the response subscription is added (its handler is this object). */
    void subscription(final Subscription subscription)
    {
        this.subscription = subscription;
    }

    /**
     * Registers the image that welcomed a session.
     *
     * @return false if that image has already gone away (then no notice will come for it).
     */
    boolean register(final int imageSessionId, final NodeSession session)
    {
        sessionByImage.put(imageSessionId, session);
        // Checked after registering: an image that goes away from now on is seen by the handler.
        final Subscription responses = subscription;
        return responses == null || responses.imageBySessionId(imageSessionId) != null;
    }

    @Override
    public void onUnavailableImage(final Image image)
    {
        final NodeSession session = sessionByImage.remove(image.sessionId());
        if (session != null)
        {
            session.onReplyImageGone(image.sessionId());
        }
    }
}

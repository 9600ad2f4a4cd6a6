package dev.ferrite.stress.model;

/** What the reference model holds for one owned key: the value, its version and its absolute expiry (0 = never). */
record ModelEntry(byte[] value, long version, long expiresAtMillis)
{
    boolean isLiveAt(final long nowMillis)
    {
        return expiresAtMillis == 0 || expiresAtMillis > nowMillis;
    }

    ModelEntry withExpiry(final long newExpiresAtMillis)
    {
        return new ModelEntry(value, version, newExpiresAtMillis);
    }
}

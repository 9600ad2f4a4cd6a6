package dev.ferrite.stress.model;

import dev.ferrite.engine.core.StallInjection;
import dev.ferrite.engine.log.OperationRegistry;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link FinisherGaveUpTest}'s four plays with every slot of the operation registry's first block
 * held by a reader parked inside get, so the helper, the finisher and the writer run in overflow
 * slots and the fence's scan of the registry must find them there. From the review of the overflow
 * blocks: with a scan that skipped them, three of the four plays failed (a helper linked its copy
 * late and a tracked key came back).
 */
@EnabledIfSystemProperty(named = StallInjection.ENABLED_PROP_NAME, matches = "true") // the stall-injection execution only
class FinisherGaveUpOverflowTest extends FinisherGaveUpTest
{
    @Override
    protected int readersToPark()
    {
        return new OperationRegistry(Runtime.getRuntime().availableProcessors()).blockSlots();
    }
}

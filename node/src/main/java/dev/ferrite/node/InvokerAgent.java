package dev.ferrite.node;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;

/** Runs an embedded media driver's duty cycle as one agent of the node's composite agent. */
final class InvokerAgent implements Agent
{
    private final AgentInvoker invoker;

    InvokerAgent(final AgentInvoker invoker)
    {
        this.invoker = invoker;
    }

    @Override
    public int doWork()
    {
        return invoker.invoke();
    }

    @Override
    public String roleName()
    {
        return "media-driver";
    }
}

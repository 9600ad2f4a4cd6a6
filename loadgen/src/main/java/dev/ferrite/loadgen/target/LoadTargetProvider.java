package dev.ferrite.loadgen.target;

import java.util.function.Function;

/** A target another module contributes (found with {@link java.util.ServiceLoader}). */
public interface LoadTargetProvider
{
    /** The {@code --target} name, lower case. */
    String name();

    LoadTarget open(Function<String, String> options);
}

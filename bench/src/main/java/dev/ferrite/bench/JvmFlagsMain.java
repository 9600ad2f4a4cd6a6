package dev.ferrite.bench;

/** Prints the fork flags on one line, for scripts that start a JVM on this jar: {@code java -cp benchmarks.jar dev.ferrite.bench.JvmFlagsMain}. */
public final class JvmFlagsMain
{
    private JvmFlagsMain()
    {
    }

    public static void main(final String[] arguments)
    {
        System.out.println(String.join(" ", JvmFlags.forkFlags()));
    }
}

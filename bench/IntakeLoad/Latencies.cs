namespace AlumniNetwork.Bench.IntakeLoad;

internal static class Latencies
{
    /// <summary>The <paramref name="q"/> quantile of ascending latencies (nearest rank).</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted[(int)Math.Min(sorted.Length - 1, Math.Max(0, Math.Ceiling(q * sorted.Length) - 1))];
}

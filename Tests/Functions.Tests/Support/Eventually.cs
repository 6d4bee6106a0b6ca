namespace AlumniNetwork.Functions.Tests.Support;

internal static class Eventually
{
    /// <summary>Waits for a condition that asynchronous work will make true; the limit is generous and only bounds a hang.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }
}

using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>The Azurite queue that carries the welcome-invitations Service Bus queue in the local run.</summary>
internal static class WelcomeQueue
{
    public const string Name = "welcome-invitations";

    public static async Task<QueueClient> EmptyAsync(AzuriteFixture azurite)
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in new[] { Name, Name + "-deadletter" })
        {
            var queue = service.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync();
            await queue.ClearMessagesAsync();
        }

        return service.GetQueueClient(Name);
    }

    /// <summary>Where the local trigger host dead-letters the queue's messages.</summary>
    public static QueueClient DeadLetters(AzuriteFixture azurite) => new QueueServiceClient(azurite.ConnectionString).GetQueueClient(Name + "-deadletter");

    /// <summary>Messages on the queue, including those locked (invisible) while they are handled.</summary>
    public static async Task<int> ApproximateCountAsync(this QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>
    /// The local trigger host with dispatch every second and no other timer: a test fires the timers it needs itself,
    /// so the newsletter's five-minute tick or a nightly purge falling inside a test changes nothing it counts.
    /// </summary>
    public static Dictionary<string, string?> LocalRunSettings() => new()
    {
        ["LocalTriggerHost:Enabled"] = "true",
        ["DispatchSchedule"] = "*/1 * * * * *",
        ["AzureWebJobs.ComposeNewsletter.Disabled"] = "true",
        ["AzureWebJobs.PurgeExpiredData.Disabled"] = "true",
        ["AzureWebJobs.RollUpInsights.Disabled"] = "true",
        ["AzureWebJobs.RunSurveyWaves.Disabled"] = "true",
    };
}

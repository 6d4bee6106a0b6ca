using Azure.Storage.Queues;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>What operators re-drive and retry: dead letters as the local trigger host stores them, and failed work items.</summary>
internal static class DeadLetterSeeds
{
    /// <summary>
    /// A message the queue gave up on, on its <c>-deadletter</c> queue with the reason the local trigger host records;
    /// <paramref name="messageId"/> is that of the message that failed, a new one unless given.
    /// </summary>
    public static async Task DeadLetterAsync(this QueueClient deadLetters, string body, int deliveries = 10, string? messageId = null) =>
        await deadLetters.SendMessageAsync(new StoredDeadLetter(body, "MaxDeliveryCountExceeded", "gave up", deliveries, messageId ?? Guid.NewGuid().ToString(), null).ToJson());

    /// <summary>A welcome-invitation work item, due an hour ago, marked failed for <paramref name="reason"/>.</summary>
    public static async Task<WorkItem> FailedWorkItemAsync(this TestApp app, string subject, string reason = "provider-refused:401")
    {
        var store = app.Services.GetRequiredService<IWorkItemStore>();
        var item = new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = subject, DueAt = TimeProvider.System.GetUtcNow().AddHours(-1) };
        await store.ScheduleAsync(item, CancellationToken.None);
        var stored = (await store.FindAsync(item.PartitionKey, item.RowKey, CancellationToken.None))!;
        stored.MarkFailed(reason, TimeProvider.System.GetUtcNow());
        Assert.True(await store.TryUpdateAsync(stored, CancellationToken.None));
        return stored;
    }
}

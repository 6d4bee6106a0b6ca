namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

public sealed class LocalTriggerHostOptions
{
    public const string SectionName = "LocalTriggerHost";

    /// <summary>On in Development. Never active under the real Functions host (FUNCTIONS_CUSTOMHANDLER_PORT set).</summary>
    public bool Enabled { get; set; }

    /// <summary>Folder holding host.json and the function folders; default: the app's own folder.</summary>
    public string? ScriptRoot { get; set; }

    /// <summary>Storage connection for the queues that stand in for Service Bus; default: Storage:ConnectionString.</summary>
    public string? QueueConnection { get; set; }

    /// <summary>Pause between polls of an empty queue (default 1 second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a received message stays invisible: the queue's Service Bus lock (default 1 minute, as infra sets it).
    /// Renewed while its function runs, up to host.json's <c>maxAutoLockRenewalDuration</c>; a message whose process died
    /// comes back when it runs out, with its delivery count raised.
    /// </summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait before a failed message is delivered again (default none: Service Bus makes an abandoned message available at once).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.Zero;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using NCrontab;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>
/// The local stand-in for the Functions host's timer and Service Bus triggers: reads the deployed function.json
/// files and calls the app with the envelopes the real host sends. Queue semantics follow Service Bus with the host's
/// settings: a lock renewed while the function runs (up to <c>maxAutoLockRenewalDuration</c>), a lock lost when storage
/// refuses its receipt (the message then neither completed nor dead-lettered), redelivery at once after a failure and
/// after the lock runs out (a dead process, a lost lock), the delivery count rising each time, dead-lettering with the
/// reason <c>MaxDeliveryCountExceeded</c> after the max delivery count, bounded concurrency, and outputs written only
/// after a 2xx, each invocation cut at host.json's <c>functionTimeout</c> and then failed. A function whose bindings
/// name an unset app setting, or whose schedule is not six-field NCRONTAB, is skipped with an error, the others run. A
/// timer or queue function is left out when the app setting <c>AzureWebJobs.{name}.Disabled</c> is
/// true, as the host leaves it out (HTTP functions are the app's own routes and keep answering). A monitored timer
/// (<c>useMonitor</c>, by default one recurring at most once a minute) keeps its status in the storage table
/// <c>LocalTimerStatus</c>, as the host keeps it in blob storage: an occurrence missed while the app was down runs at the
/// next start with <c>IsPastDue</c>. Differences: no
/// sessions, scheduled messages or duplicate detection, and 64 KiB messages.
/// </summary>
public sealed partial class LocalTriggerHost(
    string scriptRoot,
    FunctionInvoker invoker,
    MessageQueues queues,
    LocalTriggerHostOptions options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LocalTriggerHost> logger,
    ScheduleMonitor? monitor = null)
{
    /// <summary>The longest single wait for a timer; the next occurrence may be further away.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly HostDefinition host = FunctionCatalog.LoadHost(scriptRoot);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var runners = new List<Task>();
        foreach (var function in FunctionCatalog.LoadFunctions(scriptRoot))
        {
            if (IsDisabled(function))
            {
                LogDisabled(function.Name);
                continue;
            }

            if (Start(function, cancellationToken) is { } runner)
            {
                runners.Add(runner);
            }
        }

        LogStarted(runners.Count);
        return Task.WhenAll(runners);
    }

    /// <summary>
    /// Starts one function's trigger, or skips that function alone when its bindings cannot be resolved (an app setting
    /// they name is not set, a schedule that is not six-field NCRONTAB), as the Functions host leaves out a function it
    /// cannot index and runs the others. The log names the function and the setting or expression, never a setting's value.
    /// </summary>
    private Task? Start(FunctionDefinition function, CancellationToken cancellationToken)
    {
        // Output bindings too: the host would not index a function whose output queue names a missing setting.
        if (function.Bindings.Select(b => b.Schedule ?? b.QueueName).OfType<string>()
                .Select(expression => AppSettingResolver.MissingSetting(expression, configuration))
                .FirstOrDefault(setting => setting is not null) is { } missing)
        {
            LogSkippedMissingSetting(function.Name, missing);
            return null;
        }

        var trigger = function.Trigger;
        switch (trigger.Type)
        {
            case "timerTrigger":
                CrontabSchedule schedule;
                try
                {
                    schedule = CrontabSchedule.Parse(AppSettingResolver.Resolve(trigger.Schedule!, configuration), new CrontabSchedule.ParseOptions { IncludingSeconds = true });
                }
                catch (CrontabException)
                {
                    LogSkippedBadSchedule(function.Name, trigger.Schedule!);
                    return null;
                }

                return RunTimerAsync(function, schedule, cancellationToken);
            case "serviceBusTrigger":
                return RunQueueAsync(function, AppSettingResolver.Resolve(trigger.QueueName!, configuration), cancellationToken);
            default:
                return null;
        }
    }

    /// <summary>
    /// The host's switch for one function: <c>AzureWebJobs.{name}.Disabled</c> (or <c>AzureWebJobs_{name}_Disabled</c>,
    /// the form a Linux environment variable can take) set to <c>true</c> or <c>1</c>.
    /// </summary>
    private bool IsDisabled(FunctionDefinition function) =>
        new[] { $"AzureWebJobs.{function.Name}.Disabled", $"AzureWebJobs_{function.Name}_Disabled" }
            .Select(key => configuration[key])
            .Any(value => value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));

    private async Task RunTimerAsync(FunctionDefinition function, CrontabSchedule schedule, CancellationToken cancellationToken)
    {
        // Monitored, as the host monitors it: a status kept across runs, so an occurrence missed while the app was down
        // runs at once, past due. Unmonitored, the envelope's status is made up of this process's runs.
        var now = time.GetUtcNow().UtcDateTime;
        var watched = monitor is not null && ScheduleMonitor.Monitors(function.Trigger, schedule, now);
        var (status, pastDue) = watched ? await CheckPastDueAsync(function, schedule, now, cancellationToken) : (null, false);
        DateTime? last = null;
        if (function.Trigger.RunOnStartup || pastDue)
        {
            (last, status) = await FireTimerAsync(function, schedule, last, status, pastDue, watched, cancellationToken);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DelayUntilAsync(schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            (last, status) = await FireTimerAsync(function, schedule, last, status, false, watched, cancellationToken);
        }
    }

    /// <summary>The stored status and whether it is past due; neither when storage does not answer (the timer still runs on schedule).</summary>
    private async Task<(TimerStatus? Status, bool PastDue)> CheckPastDueAsync(FunctionDefinition function, CrontabSchedule schedule, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            return await monitor!.CheckPastDueAsync(function.Name, schedule, now, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogTriggerError(function.Name, e);
            return (null, false);
        }
        catch (OperationCanceledException)
        {
            return (null, false);
        }
    }

    /// <summary>
    /// Waits until <paramref name="due"/> a day at a time: one delay takes at most about 49 days, and a yearly schedule
    /// (or one whose next run is further away) would otherwise stop the host.
    /// </summary>
    private async Task DelayUntilAsync(DateTime due, CancellationToken cancellationToken)
    {
        for (var left = due - time.GetUtcNow().UtcDateTime; left > TimeSpan.Zero; left = due - time.GetUtcNow().UtcDateTime)
        {
            await Task.Delay(left < LongestWait ? left : LongestWait, time, cancellationToken);
        }
    }

    private async Task<(DateTime Last, TimerStatus? Status)> FireTimerAsync(
        FunctionDefinition function, CrontabSchedule schedule, DateTime? last, TimerStatus? status, bool pastDue, bool watched, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await InvokeTimerAsync(function, status ?? new TimerStatus(last ?? now, schedule.GetNextOccurrence(now), now), pastDue, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A storage hiccup must not stop the local run: the timer fires again at its next occurrence.
            LogTriggerError(function.Name, e);
        }
        catch (OperationCanceledException)
        {
            // Stopped while the timer ran: the run is abandoned, as the Functions host abandons it on shutdown (a
            // monitored timer's status is not written, so the next start makes the run again, past due).
            return (now, status);
        }

        if (!watched)
        {
            return (now, status);
        }

        // Written after the run whatever its result, as the host writes it: a failed run is not made again.
        var ran = new TimerStatus(now, schedule.GetNextOccurrence(now), now);
        try
        {
            await monitor!.UpdateAsync(function.Name, ran, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogTriggerError(function.Name, e);
        }
        catch (OperationCanceledException)
        {
            // Stopped while it was written: the run may be made again at the next start, as after a crash.
        }

        return (now, ran);
    }

    private async Task InvokeTimerAsync(FunctionDefinition function, TimerStatus status, bool pastDue, CancellationToken cancellationToken)
    {
        var data = new JsonObject
        {
            [function.Trigger.Name] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = status.Last.ToString("O"),
                    ["Next"] = status.Next.ToString("O"),
                    ["LastUpdated"] = status.LastUpdated.ToString("O"),
                },
                ["IsPastDue"] = pastDue,
            },
        };
        var outputs = await invoker.InvokeAsync(function.Name, data, [], host.FunctionTimeout, cancellationToken);
        if (outputs is null)
        {
            // Like the real host: a failed timer run is not retried before its next occurrence.
            LogTimerFailed(function.Name);
        }
        else
        {
            await queues.WriteOutputsAsync(function, outputs, configuration, cancellationToken);
        }
    }

    private async Task RunQueueAsync(FunctionDefinition function, string queueName, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(host.MaxConcurrentCalls);
        var inFlight = new List<Task>();
        try
        {
            var (queue, deadLetter) = await OpenQueuesAsync(function, queueName, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await slots.WaitAsync(cancellationToken);
                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(Math.Min(32, slots.CurrentCount + 1), options.LockDuration, cancellationToken)).Value;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Storage unavailable for a moment: wait and poll again rather than stop the local run.
                    LogTriggerError(function.Name, e);
                    messages = [];
                }

                if (messages.Length == 0)
                {
                    slots.Release();
                    await Task.Delay(options.PollInterval, time, cancellationToken);
                    continue;
                }

                for (var i = 1; i < messages.Length; i++)
                {
                    await slots.WaitAsync(cancellationToken);
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.AddRange(messages.Select(message => Task.Run(async () =>
                {
                    try
                    {
                        await DeliverAsync(function, queue, deadLetter, message, cancellationToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(inFlight).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>The queue and its dead-letter queue, retried until storage answers (Azurite may start after the app).</summary>
    private async Task<(Azure.Storage.Queues.QueueClient Queue, Azure.Storage.Queues.QueueClient DeadLetter)> OpenQueuesAsync(
        FunctionDefinition function, string queueName, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return (await queues.GetAsync(queueName, cancellationToken),
                    await queues.GetAsync(queueName + MessageQueues.DeadLetterSuffix, cancellationToken));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogTriggerError(function.Name, e);
                await Task.Delay(options.PollInterval, time, cancellationToken);
            }
        }
    }

    private async Task DeliverAsync(
        FunctionDefinition function, Azure.Storage.Queues.QueueClient queue, Azure.Storage.Queues.QueueClient deadLetter, QueueMessage message, CancellationToken cancellationToken)
    {
        string? receipt = message.PopReceipt;
        try
        {
            if (message.DequeueCount <= host.MaxDeliveryCount)
            {
                JsonObject? outputs;
                using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var renewal = RenewLockAsync(queue, message.MessageId, receipt, renewing.Token);
                    try
                    {
                        outputs = await invoker.InvokeAsync(function.Name, new JsonObject { [function.Trigger.Name] = Body(message) }, Metadata(message), host.FunctionTimeout, cancellationToken);
                    }
                    finally
                    {
                        await renewing.CancelAsync();
                        receipt = await renewal;
                    }
                }

                if (outputs is not null)
                {
                    // Written whatever became of the lock, as the host flushes a function's outputs before it completes
                    // the message: a redelivery writes them again, which every consumer is idempotent to (ADR 0002).
                    await queues.WriteOutputsAsync(function, outputs, configuration, cancellationToken);
                }
                else
                {
                    LogDeliveryFailed(function.Name, message.MessageId, (int)message.DequeueCount);
                }

                if (receipt is null)
                {
                    // Lost lock, as Service Bus's MessageLockLost: neither completed, released nor dead-lettered (each
                    // would fail on the stale receipt); it comes back when the lock runs out, its delivery count raised.
                    LogLockLost(function.Name, message.MessageId);
                    return;
                }

                if (outputs is not null)
                {
                    await SettleAsync(function, message, () => queue.DeleteMessageAsync(message.MessageId, receipt, cancellationToken));
                    return;
                }

                if (message.DequeueCount < host.MaxDeliveryCount)
                {
                    await SettleAsync(function, message, () => queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: options.RetryDelay, cancellationToken: cancellationToken));
                    return;
                }
            }

            // Copied only under a lock just confirmed, and deleted with the receipt that confirmation gave: a receipt gone
            // stale unseen (a renewal whose answer was lost just before the function ended) would let the copy be written
            // and the delete fail, and the message would come back and be dead-lettered again. Without the lock it is left
            // to come back, past the max delivery count, and be dead-lettered then, once. A crash between the copy and
            // the delete still leaves two copies (with the same MessageId), never none.
            if (await ExtendLockAsync(queue, message.MessageId, receipt, cancellationToken) is not { } held)
            {
                LogLockLost(function.Name, message.MessageId);
                return;
            }

            var stored = new Core.Messaging.StoredDeadLetter(message.MessageText, "MaxDeliveryCountExceeded",
                $"Message could not be consumed after {host.MaxDeliveryCount} delivery attempts.", (int)message.DequeueCount, message.MessageId, message.InsertedOn);
            await deadLetter.SendMessageAsync(stored.ToJson(), visibilityTimeout: null, timeToLive: Core.Messaging.StoredDeadLetter.NeverExpires, cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, held, cancellationToken);
            LogDeadLettered(function.Name, message.MessageId, (int)message.DequeueCount);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The message stays on the queue and reappears when its lock runs out: nothing is lost.
            LogDeliveryError(function.Name, message.MessageId, e);
        }
    }

    /// <summary>
    /// Completes or releases the message with the receipt renewing left. Storage refuses it (400 PopReceiptMismatch, 404)
    /// when that receipt went stale unseen: a renewal storage applied whose answer was lost past the client's retries, with
    /// no later renewal before the function ended to find out. That is a lost lock, not a delivery error: the message
    /// comes back when the lock runs out, its delivery count raised, and nothing is lost.
    /// </summary>
    private async Task SettleAsync(FunctionDefinition function, QueueMessage message, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (Azure.RequestFailedException e) when (e.Status is 400 or 404)
        {
            LogLockLost(function.Name, message.MessageId);
        }
    }

    /// <summary>
    /// Keeps the message invisible while its function runs, as the host renews a Service Bus lock. A renewal that fails
    /// (storage unreachable for a moment, Azurite restarting) is tried again at the next interval with the last receipt
    /// storage gave, until the renewal limit. A renewal storage applied but whose answer was lost leaves no way to learn
    /// the new receipt (storage gives it only in that answer): the client's retry, or the next renewal, is then refused
    /// for a stale receipt, and the lock is lost.
    /// </summary>
    /// <returns>
    /// The message's latest pop receipt, the one its delete or release needs; null when the lock was lost, and then
    /// renewing stopped. Cancelling stops only the wait between renewals: a renewal already sent is finished, since storage
    /// may have applied it (and replaced the receipt) whatever happens to its answer here. Never throws: a failed renewal
    /// must not fail the delivery of a function that succeeded.
    /// </returns>
    private async Task<string?> RenewLockAsync(Azure.Storage.Queues.QueueClient queue, string messageId, string receipt, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        while (time.GetUtcNow() - started < host.MaxAutoLockRenewal)
        {
            try
            {
                await Task.Delay(options.LockDuration / 2, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                if (await ExtendLockAsync(queue, messageId, receipt, CancellationToken.None) is not { } renewed)
                {
                    return null;
                }

                receipt = renewed;
            }
            catch (Exception e)
            {
                LogRenewalError(messageId, e);
            }
        }

        return receipt;
    }

    /// <summary>
    /// Hides the message for another lock duration: the new pop receipt, or null when storage refuses the receipt (400
    /// PopReceiptMismatch, 404 MessageNotFound): the lock ran out and the message was received again or handled, or a
    /// renewal storage applied lost its answer. Other failures throw, since storage may or may not have applied them.
    /// </summary>
    private async Task<string?> ExtendLockAsync(Azure.Storage.Queues.QueueClient queue, string messageId, string receipt, CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.UpdateMessageAsync(messageId, receipt, visibilityTimeout: options.LockDuration, cancellationToken: cancellationToken)).Value.PopReceipt;
        }
        catch (Azure.RequestFailedException e) when (e.Status is 400 or 404)
        {
            return null;
        }
    }

    private static JsonNode? Body(QueueMessage message)
    {
        try
        {
            return JsonNode.Parse(message.MessageText) is JsonObject json ? json : JsonValue.Create(message.MessageText);
        }
        catch (JsonException)
        {
            return JsonValue.Create(message.MessageText);
        }
    }

    private static JsonObject Metadata(QueueMessage message) => new()
    {
        ["DeliveryCount"] = message.DequeueCount,
        ["MessageId"] = message.MessageId,
        ["EnqueuedTimeUtc"] = message.InsertedOn?.ToString("O"),
        ["ExpiresAtUtc"] = message.ExpiresOn?.ToString("O"),
        ["SequenceNumber"] = 0,
        ["ApplicationProperties"] = new JsonObject(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName}: trigger error; trying again")]
    private partial void LogTriggerError(string functionName, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FunctionName} is disabled by its app setting; its trigger does not run")]
    private partial void LogDisabled(string functionName);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} is not started: its bindings name the app setting {SettingName}, which is not set; the other functions run")]
    private partial void LogSkippedMissingSetting(string functionName, string settingName);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} is not started: its schedule {Expression} is not a six-field NCRONTAB expression (seconds first); the other functions run")]
    private partial void LogSkippedBadSchedule(string functionName, string expression);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local trigger host started {Count} triggers")]
    private partial void LogStarted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {FunctionName} failed; it runs again at its next occurrence")]
    private partial void LogTimerFailed(string functionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName} failed on message {MessageId} (delivery {DeliveryCount})")]
    private partial void LogDeliveryFailed(string functionName, string messageId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName}: message {MessageId} dead-lettered after {DeliveryCount} deliveries")]
    private partial void LogDeadLettered(string functionName, string messageId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lock of message {MessageId} failed; trying again")]
    private partial void LogRenewalError(string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName}: the lock of message {MessageId} was lost (storage refused its pop receipt); it is left to come back when the lock runs out and be delivered again")]
    private partial void LogLockLost(string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName}: error while delivering message {MessageId}")]
    private partial void LogDeliveryError(string functionName, string messageId, Exception exception);
}

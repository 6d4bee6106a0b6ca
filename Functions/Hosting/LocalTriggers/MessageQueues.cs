using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>Azurite Storage queues standing in for Service Bus queues of the same name.</summary>
public sealed class MessageQueues(QueueServiceClient service)
{
    public const string DeadLetterSuffix = Core.Messaging.StoredDeadLetter.QueueSuffix;
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new();

    public async Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var creation = queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(async () =>
        {
            var client = service.GetQueueClient(n);
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            return client;
        }));
        try
        {
            return await creation.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (creation.Value.IsFaulted)
        {
            queues.TryRemove(KeyValuePair.Create(name, creation));
            throw;
        }
    }

    /// <summary>Writes a function's message outputs; an array output is one message per element.</summary>
    public async Task WriteOutputsAsync(FunctionDefinition function, JsonObject outputs, IConfiguration configuration, CancellationToken cancellationToken)
    {
        foreach (var binding in function.Bindings.Where(b => b.IsMessageOutput))
        {
            if (outputs[binding.Name] is not { } value)
            {
                continue;
            }

            var queue = await GetAsync(AppSettingResolver.Resolve(binding.QueueName!, configuration), cancellationToken);
            var messages = value is JsonArray array ? array.Select(m => m!) : [value];
            foreach (var message in messages)
            {
                await queue.SendMessageAsync(message.ToJsonString(), visibilityTimeout: null, timeToLive: Core.Messaging.StoredDeadLetter.NeverExpires, cancellationToken);
            }
        }
    }
}

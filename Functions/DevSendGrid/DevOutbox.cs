using System.Collections.Concurrent;
using System.Text.Json;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>One captured mail: one SendGrid personalization, as its recipient would receive it (substitutions applied).</summary>
public sealed record OutboxMail(
    string Id,
    IReadOnlyList<string> To,
    string From,
    string Subject,
    string? Html,
    string? Text,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, string> CustomArgs,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Attached files; <see cref="OutboxAttachment.Content"/> is base64, as SendGrid receives it.</summary>
    public IReadOnlyList<OutboxAttachment> Attachments { get; init; } = [];
}

public sealed record OutboxAttachment(string FileName, string? Type, string Content);

/// <summary>
/// What the sink has accepted since start (or the last clear): requests; mails (one per personalization); distinct
/// recipient addresses, and mails to an address that already had one (a campaign sends each person one mail, so it
/// leaves none: a duplicate plus a missing mail still add up to the right number of mails, not of recipients); and the
/// earliest and latest acceptance (by the time each request was received, whatever order they finish in).
/// </summary>
public sealed record OutboxStats(long Requests, long Mails, long Recipients, long Duplicates, DateTimeOffset? FirstAcceptedAt, DateTimeOffset? LastAcceptedAt);

public sealed class DevOutboxOptions
{
    public const string SectionName = "DevSendGrid";

    /// <summary>Most recent mails kept in full (default 10,000); older ones are only counted, so a big fan-out stays in bounds.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int OutboxCapacity { get; set; } = 10_000;
}

/// <summary>
/// The development sink's mailbox: the most recent mails, kept in memory like a local mail catcher, and counts of all
/// accepted, with every recipient address seen (about 10 MB for 100,000 addresses, so a benchmark's fan-out can be
/// checked mail by mail). It is a dev tool, not product storage; production mail goes to SendGrid.
/// </summary>
public sealed class DevOutbox(Microsoft.Extensions.Options.IOptions<DevOutboxOptions> options)
{
    private static readonly OutboxStats Empty = new(0, 0, 0, 0, null, null);
    private readonly ConcurrentQueue<OutboxMail> mails = new();
    private readonly Lock statsLock = new();
    private readonly HashSet<string> recipients = new(StringComparer.OrdinalIgnoreCase);
    private OutboxStats stats = Empty;

    public IReadOnlyList<OutboxMail> All => mails.ToArray();

    public OutboxStats Stats
    {
        get
        {
            lock (statsLock)
            {
                return stats;
            }
        }
    }

    public void Clear()
    {
        mails.Clear();
        lock (statsLock)
        {
            recipients.Clear();
            stats = Empty;
        }
    }

    public void Accept(string messageId, JsonElement mail, DateTimeOffset receivedAt)
    {
        var index = 0;
        var capacity = options.Value.OutboxCapacity;
        var personalizations = mail.GetProperty("personalizations");
        var addresses = new List<string>();
        foreach (var personalization in personalizations.EnumerateArray())
        {
            addresses.AddRange(personalization.GetProperty("to").EnumerateArray().Select(a => a.GetProperty("email").GetString()!));
            if (capacity > 0)
            {
                mails.Enqueue(Deliver($"{messageId}.{index}", mail, personalization, receivedAt));
            }

            index++;
        }

        while (mails.Count > capacity && mails.TryDequeue(out _))
        {
        }

        lock (statsLock)
        {
            var duplicates = addresses.Count(address => !recipients.Add(address));
            stats = new OutboxStats(
                stats.Requests + 1,
                stats.Mails + index,
                recipients.Count,
                stats.Duplicates + duplicates,
                stats.FirstAcceptedAt is { } first && first < receivedAt ? first : receivedAt,
                stats.LastAcceptedAt is { } last && last > receivedAt ? last : receivedAt);
        }
    }

    /// <summary>
    /// The mail one personalization produces, as SendGrid builds it: the personalization's subject, headers and custom
    /// args over the message's, then its substitutions applied to subject, bodies and custom args.
    /// </summary>
    private static OutboxMail Deliver(string id, JsonElement mail, JsonElement personalization, DateTimeOffset receivedAt)
    {
        var substitutions = Map(personalization, "substitutions").ToArray();
        string? Substitute(string? value) => value is null ? null : substitutions.Aggregate(value, (text, s) => text.Replace(s.Key, s.Value, StringComparison.Ordinal));
        return new OutboxMail(
            id,
            personalization.GetProperty("to").EnumerateArray().Select(a => a.GetProperty("email").GetString()!).ToArray(),
            mail.GetProperty("from").GetProperty("email").GetString()!,
            Substitute(Text(personalization, "subject") ?? Text(mail, "subject")) ?? "",
            Substitute(Content(mail, "text/html")),
            Substitute(Content(mail, "text/plain")),
            Map(personalization, "headers").Concat(Map(mail, "headers")).DistinctBy(p => p.Key).ToDictionary(),
            mail.TryGetProperty("categories", out var categories) ? categories.EnumerateArray().Select(c => c.GetString()!).ToArray() : [],
            Map(personalization, "custom_args").Concat(Map(mail, "custom_args")).DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => Substitute(p.Value)!),
            receivedAt)
        {
            Attachments = mail.TryGetProperty("attachments", out var files) && files.ValueKind == JsonValueKind.Array
                ? files.EnumerateArray().Select(f => new OutboxAttachment(Text(f, "filename")!, Text(f, "type"), Text(f, "content")!)).ToArray()
                : [],
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Content(JsonElement mail, string type) =>
        mail.TryGetProperty("content", out var content)
            ? content.EnumerateArray().Where(c => Text(c, "type") == type).Select(c => Text(c, "value")).FirstOrDefault()
            : null;

    private static IEnumerable<KeyValuePair<string, string>> Map(JsonElement element, string name) =>
        element.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
            : [];
}

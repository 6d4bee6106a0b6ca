using System.Collections.Concurrent;
using System.Text.Json;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>One captured mail: one SendGrid personalization, as a recipient would receive it.</summary>
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
/// The development sink's mailbox: the most recent mails, kept in memory like a local mail catcher. It is a dev tool,
/// not product storage; production mail goes to SendGrid.
/// </summary>
public sealed class DevOutbox
{
    public const int Capacity = 10_000;
    private readonly ConcurrentQueue<OutboxMail> mails = new();

    public IReadOnlyList<OutboxMail> All => mails.ToArray();

    public void Clear() => mails.Clear();

    public void Accept(string messageId, JsonElement mail, DateTimeOffset receivedAt)
    {
        var index = 0;
        foreach (var personalization in mail.GetProperty("personalizations").EnumerateArray())
        {
            mails.Enqueue(new OutboxMail(
                $"{messageId}.{index++}",
                personalization.GetProperty("to").EnumerateArray().Select(a => a.GetProperty("email").GetString()!).ToArray(),
                mail.GetProperty("from").GetProperty("email").GetString()!,
                Text(personalization, "subject") ?? Text(mail, "subject") ?? "",
                Content(mail, "text/html"),
                Content(mail, "text/plain"),
                Map(personalization, "headers").Concat(Map(mail, "headers")).DistinctBy(p => p.Key).ToDictionary(),
                mail.TryGetProperty("categories", out var categories) ? categories.EnumerateArray().Select(c => c.GetString()!).ToArray() : [],
                Map(mail, "custom_args").Concat(Map(personalization, "custom_args")).DistinctBy(p => p.Key).ToDictionary(),
                receivedAt)
            {
                Attachments = mail.TryGetProperty("attachments", out var files) && files.ValueKind == JsonValueKind.Array
                    ? files.EnumerateArray().Select(f => new OutboxAttachment(Text(f, "filename")!, Text(f, "type"), Text(f, "content")!)).ToArray()
                    : [],
            });
        }

        while (mails.Count > Capacity && mails.TryDequeue(out _))
        {
        }
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

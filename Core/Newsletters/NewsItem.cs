using System.Text.Json.Serialization;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>A piece of news for the newsletter, in both languages, shown in issues composed inside its publish window.</summary>
public sealed record NewsItem(
    string Id,
    string TitleJa,
    string TitleEn,
    string BodyJa,
    string BodyEn,
    Uri? Link,
    DateTimeOffset PublishFrom,
    DateTimeOffset? PublishUntil,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The row's ETag as read; a replace is conditional on it (null: write whatever is there).</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    /// <summary>The keyed hash of the body that created it with an idempotency key (ADR 0037); null when created without one. Kept by a replace.</summary>
    [JsonIgnore]
    public string? CreateHash { get; init; }

    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 2000;
    public const int MaxLinkLength = 500;

    /// <summary>A new item's id: 32 lower-case hex digits.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="value"/> has the shape of an item id; anything else names no item and is never looked up.</summary>
    public static bool IsId(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// At most this many items may be live (<see cref="IsLiveAt"/>) when one is created or an edit opens one: the limit an
    /// admin sees, twenty full issues' worth of news. Counted before the write, so creates at the same moment may pass it
    /// by a few; the row is bounded by the draft (<see cref="NewsletterDraft.MaxTakenPerSection"/>), not by this.
    /// </summary>
    public const int MaxLive = 200;

    public bool IsPublishedAt(DateTimeOffset now) => PublishFrom <= now && (PublishUntil is not { } until || now < until);

    /// <summary>Published now or to be: its publish window has not ended (an item without one never ends).</summary>
    public bool IsLiveAt(DateTimeOffset now) => PublishUntil is not { } until || now < until;
}

/// <summary>What an admin sends to create or replace a news item, checked field by field.</summary>
public sealed record NewsItemDraft(string TitleJa, string TitleEn, string BodyJa, string BodyEn, Uri? Link, DateTimeOffset PublishFrom, DateTimeOffset? PublishUntil)
{
    public static readonly string[] Fields = ["titleJa", "titleEn", "bodyJa", "bodyEn", "link", "publishFrom", "publishUntil"];

    /// <summary>Every problem at once; an unknown field is an error, not ignored.</summary>
    public static (NewsItemDraft? Draft, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body)
    {
        var (fields, errors) = JsonFields.Read(body, Fields);
        if (fields is null)
        {
            return (null, errors);
        }

        // One line, as an event's or an opening's title: it is a heading of the mail and a line of its text part.
        var titleJa = fields.Line("titleJa", NewsItem.MaxTitleLength, required: true);
        var titleEn = fields.Line("titleEn", NewsItem.MaxTitleLength, required: true);
        var bodyJa = fields.Text("bodyJa", NewsItem.MaxBodyLength, required: true);
        var bodyEn = fields.Text("bodyEn", NewsItem.MaxBodyLength, required: true);
        var link = fields.WebLink("link", NewsItem.MaxLinkLength);
        var from = fields.Instant("publishFrom", required: true);
        var until = fields.Instant("publishUntil", required: false);
        if (from is { } start && until is { } end && end <= start)
        {
            fields.Errors.Add(new FieldError("publishUntil", "must be after publishFrom"));
        }

        return fields.Errors.Count > 0
            ? (null, fields.Errors)
            : (new NewsItemDraft(titleJa!, titleEn!, bodyJa!, bodyEn!, link, from!.Value, until), fields.Errors);
    }

    public NewsItem ToItem(string id, DateTimeOffset now) => new(id, TitleJa, TitleEn, BodyJa, BodyEn, Link, PublishFrom, PublishUntil, now);
}

public interface INewsItemStore
{
    /// <summary>Inserts the item; false (nothing written) when an item with its id is there.</summary>
    Task<bool> TryAddAsync(NewsItem item, CancellationToken cancellationToken);

    Task<NewsItem?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the item if unchanged since read (<see cref="NewsItem.ETag"/>; any when null); false when it changed or is gone.</summary>
    Task<bool> ReplaceAsync(NewsItem item, CancellationToken cancellationToken);

    /// <summary>Removes the item; removing it twice is harmless.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every item, newest publish date first.</summary>
    Task<IReadOnlyList<NewsItem>> ListAsync(CancellationToken cancellationToken);
}

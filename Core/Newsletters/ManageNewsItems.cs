using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>Admin: news items for the newsletter. Create, read, replace, remove and list; changes are audited.</summary>
public sealed class ManageNewsItems(INewsItemStore news, IAuditLog audit, IdempotentCreates creates, TimeProvider time)
{
    public const string Created = "news.created";
    public const string Replaced = "news.replaced";
    public const string Deleted = "news.deleted";

    public const string CreateKind = "news";

    /// <summary>
    /// The rule a create, or an edit opening an item not live, breaks when <see cref="NewsItem.MaxLive"/> items are live already (<see cref="ConflictCode.TooManyLiveNewsItems"/>):
    /// each live item is kept in every issue's row, which Table Storage caps at 1 MiB.
    /// </summary>
    public static readonly FieldError TooManyLive = new("publishUntil",
        $"cannot be left open or set ahead: {NewsItem.MaxLive} news items are live already (their publish window has not ended), the most allowed; give those no longer news a publishUntil in the past, or delete them; nothing was saved");

    /// <param name="key">With a key, a repeat of the same create finds the first item and changes nothing (ADR 0037).</param>
    public async Task<AdminOutcome<NewsItem>> CreateAsync(ReadOnlyMemory<byte> body, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var (draft, errors) = NewsItemDraft.Parse(body.Span);
        if (draft is null)
        {
            return new AdminOutcome<NewsItem>.Invalid(errors);
        }

        var keyed = creates.Of(CreateKind, actor, key, body.Span);
        Task<AdminOutcome<NewsItem>?> RepeatOfStored() =>
            KeyedCreate.RepeatOfStoredAsync(keyed, id => news.GetAsync(id, cancellationToken), i => i.CreateHash, i => i);
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        var now = time.GetUtcNow();
        var item = draft.ToItem(keyed?.Id ?? NewsItem.NewId(), now) with { CreateHash = keyed?.BodyHash };

        if (await TooManyLiveAsync(item, now, cancellationToken))
        {
            return TooManyLiveConflict();
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, Created, item.Id, "");
        await audit.WriteAsync(entry, cancellationToken);
        if (!await news.TryAddAsync(item, cancellationToken))
        {
            // A repeat of this create (same key) was added between the read above and this insert: this one created nothing.
            return await KeyedCreate.NotSavedAsync(
                audit, KeyedCreate.NotSaved(entry, CreateKind, item.Id, time.GetUtcNow()), RepeatOfStored, new AdminOutcome<NewsItem>.Conflict(), cancellationToken);
        }

        return new AdminOutcome<NewsItem>.Done(item);
    }

    /// <param name="seen">The version the edit was built on: when the item changed since, nothing is written or audited.
    /// Null: any. Either way the write is conditional on the ETag of the read, so a change in between is never written over.</param>
    public async Task<AdminOutcome<NewsItem>> ReplaceAsync(string id, ReadOnlyMemory<byte> body, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var (draft, errors) = NewsItemDraft.Parse(body.Span);
        if (draft is null)
        {
            return new AdminOutcome<NewsItem>.Invalid(errors);
        }

        if (!NewsItem.IsId(id) || await news.GetAsync(id, cancellationToken) is not { } current)
        {
            return new AdminOutcome<NewsItem>.NotFound();
        }

        if (seen is { } version && !version.Matches(current.UpdatedAt))
        {
            return new AdminOutcome<NewsItem>.Stale();
        }

        var now = time.GetUtcNow();
        var item = draft.ToItem(id, now) with { ETag = current.ETag, CreateHash = current.CreateHash };

        // An edit that keeps a live item live leaves the count as it is; one that opens an ended or later item adds one.
        if (!current.IsLiveAt(now) && await TooManyLiveAsync(item, now, cancellationToken))
        {
            return TooManyLiveConflict();
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, Replaced, id, "");
        await audit.WriteAsync(entry, cancellationToken);
        if (await news.ReplaceAsync(item, cancellationToken))
        {
            return new AdminOutcome<NewsItem>.Done(item);
        }

        // Changed or removed between the read and the write: the entry above names an edit that was not saved (ADR 0005).
        await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
        return await news.GetAsync(id, cancellationToken) is null ? new AdminOutcome<NewsItem>.NotFound() : new AdminOutcome<NewsItem>.Conflict();
    }

    /// <summary>
    /// Whether <paramref name="item"/>, live, would pass <see cref="NewsItem.MaxLive"/>. Counted before the write, not with
    /// it: writes at the same moment may pass the limit by a few, which is harmless, as the draft takes at most
    /// <see cref="NewsletterDraft.MaxTakenPerSection"/> items into an issue whatever is live.
    /// </summary>
    private async Task<bool> TooManyLiveAsync(NewsItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        item.IsLiveAt(now) && (await news.ListAsync(cancellationToken)).Count(i => i.Id != item.Id && i.IsLiveAt(now)) >= NewsItem.MaxLive;

    private static AdminOutcome<NewsItem>.Conflict TooManyLiveConflict() =>
        new($"{TooManyLive.Field} {TooManyLive.Rule}", ConflictCode.TooManyLiveNewsItems);

    public async Task<AdminOutcome<string>> DeleteAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!NewsItem.IsId(id) || await news.GetAsync(id, cancellationToken) is null)
        {
            return new AdminOutcome<string>.NotFound();
        }

        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, Deleted, id, ""), cancellationToken);
        await news.DeleteAsync(id, cancellationToken);
        return new AdminOutcome<string>.Done(id);
    }

    /// <summary>One item, whose <see cref="NewsItem.UpdatedAt"/> is the version a replace may name; a malformed id is never looked up.</summary>
    public async Task<AdminOutcome<NewsItem>> GetAsync(string id, CancellationToken cancellationToken) =>
        NewsItem.IsId(id) && await news.GetAsync(id, cancellationToken) is { } item
            ? new AdminOutcome<NewsItem>.Done(item)
            : new AdminOutcome<NewsItem>.NotFound();

    public Task<IReadOnlyList<NewsItem>> ListAsync(CancellationToken cancellationToken) => news.ListAsync(cancellationToken);
}

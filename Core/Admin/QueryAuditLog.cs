using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>An audit-log query as received in the query string; <paramref name="Actor"/> and <paramref name="Action"/> match exactly.
/// <paramref name="Cursor"/> is the <see cref="AuditLogPage.Next"/> of the page before, to read on from there.</summary>
public sealed record AuditQueryRequest(string? From, string? To, string? Limit, string? Actor = null, string? Action = null, string? Cursor = null);

/// <param name="Entries">Newest first.</param>
/// <param name="Next">An opaque cursor to the older entries beyond this page; null when there are none.</param>
public sealed record AuditLogPage(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AuditEntry> Entries, string? Next);

/// <summary>
/// Admin: the audit log between two instants, newest first. Defaults to the last <see cref="DefaultRange"/>; a range is
/// at most <see cref="MaxRange"/>, because the log has one partition per day and an empty day still costs a query.
/// More than <c>limit</c> entries are read page by page, each page's <c>next</c> given back as <c>cursor</c>.
/// Reading the log is itself audited.
/// </summary>
public sealed partial class QueryAuditLog(IAuditLog audit, TimeProvider time, ILogger<QueryAuditLog> logger)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxFilterLength = 200;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    public async Task<AdminOutcome<AuditLogPage>> HandleAsync(AuditQueryRequest request, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var from = QueryValues.Instant(request.From, "from", errors);
        var to = QueryValues.Instant(request.To, "to", errors);
        var limit = QueryValues.Int(request.Limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        AuditCursor? after = null;
        if (!string.IsNullOrWhiteSpace(request.Cursor) && !AuditCursor.TryParse(request.Cursor, out after))
        {
            errors.Add(new FieldError("cursor", "must be the next value of an earlier page, unchanged"));
        }

        var filter = new AuditFilter(QueryValues.Text(request.Actor, "actor", MaxFilterLength, errors), QueryValues.Text(request.Action, "action", MaxFilterLength, errors));
        var now = time.GetUtcNow();
        var until = to ?? now;
        var since = from ?? until - DefaultRange;
        if (errors.Count == 0 && since > until)
        {
            errors.Add(new FieldError("from", "must not be after to"));
        }
        else if (errors.Count == 0 && until - since > MaxRange)
        {
            errors.Add(new FieldError("from", $"must be at most {MaxRange.TotalDays:0} days before to"));
        }

        if (errors.Count == 0 && after is not null && (after.At < since || after.At > until))
        {
            errors.Add(new FieldError("cursor", "must come from a page of the same from and to"));
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<AuditLogPage>.Invalid(errors);
        }

        var (entries, next) = await audit.QueryAsync(since, until, limit, filter, after, cancellationToken);
        var filters = string.Join(',', new[] { filter.Actor is null ? null : "actor", filter.Action is null ? null : "action" }.OfType<string>().DefaultIfEmpty("none"));
        var continued = after is null ? "" : "; continued";
        await audit.WriteAsync(new AuditEntry(now, actor, AdminAuditActions.AuditRead, "", $"filters={filters}; results={entries.Count}{continued}"), cancellationToken);
        LogQueried(entries.Count);
        return new AdminOutcome<AuditLogPage>.Done(new AuditLogPage(since, until, entries, next?.Encode()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin read {Count} audit entries")]
    private partial void LogQueried(int count);
}

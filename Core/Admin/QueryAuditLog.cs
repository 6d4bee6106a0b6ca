using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>An audit-log query as received in the query string; <paramref name="Actor"/> and <paramref name="Action"/> match exactly.</summary>
public sealed record AuditQueryRequest(string? From, string? To, string? Limit, string? Actor = null, string? Action = null);

/// <param name="Entries">Newest first.</param>
public sealed record AuditLogPage(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AuditEntry> Entries);

/// <summary>
/// Admin: the audit log between two instants, newest first. Defaults to the last <see cref="DefaultRange"/>; a range is
/// at most <see cref="MaxRange"/>, because the log has one partition per day and an empty day still costs a query.
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

        if (errors.Count > 0)
        {
            return new AdminOutcome<AuditLogPage>.Invalid(errors);
        }

        var entries = await audit.QueryAsync(since, until, limit, filter, cancellationToken);
        var filters = string.Join(',', new[] { filter.Actor is null ? null : "actor", filter.Action is null ? null : "action" }.OfType<string>().DefaultIfEmpty("none"));
        await audit.WriteAsync(new AuditEntry(now, actor, AdminAuditActions.AuditRead, "", $"filters={filters}; results={entries.Count}"), cancellationToken);
        LogQueried(entries.Count);
        return new AdminOutcome<AuditLogPage>.Done(new AuditLogPage(since, until, entries));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin read {Count} audit entries")]
    private partial void LogQueried(int count);
}

using System.Globalization;
using System.Runtime.CompilerServices;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>An admin search as received (a posted body, or a query string without text): every value optional and untrusted.</summary>
public sealed record AlumniSearchRequest(string? Q, string? Department, string? Status, string? Consent, string? Page)
{
    /// <summary>
    /// Why a URL may not carry <c>q</c>: the text is a name or an email address, and the Functions host's own request
    /// telemetry records every URL it proxies, out of the app's reach (ADR 0005, ADR 0007).
    /// </summary>
    public const string TextInUrlRule = "must not be sent in a URL: send the search text in the JSON body of POST /api/manage/alumni/search";
}

/// <summary>
/// The JSON body of <c>POST /api/manage/alumni/search</c>: the same criteria as the query string had, so the search text
/// travels in no URL (ADR 0005). Every member optional (null is absent); <c>page</c> a JSON number; an unknown member is
/// an error, not ignored (<see cref="JsonFields"/>, as the other admin bodies).
/// </summary>
public sealed record AlumniSearchBody(string? Q, string? Department, string? Status, string? Consent, int? Page)
{
    public const string QField = "q";
    public const string DepartmentField = "department";
    public const string StatusField = "status";
    public const string ConsentField = "consent";
    public const string PageField = "page";

    public static IReadOnlyList<string> Fields { get; } = [QField, DepartmentField, StatusField, ConsentField, PageField];

    /// <summary>Reads the body into a request whose values <see cref="AlumniSearchCriteria.Parse"/> then checks; reports every problem at once.</summary>
    public static (AlumniSearchRequest? Request, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body)
    {
        var (fields, errors) = JsonFields.Read(body, Fields);
        if (fields is null)
        {
            return (null, errors);
        }

        string? Text(string name) => fields.QueryText(name, number: false, "must be a string");
        var request = new AlumniSearchRequest(Text(QField), Text(DepartmentField), Text(StatusField), Text(ConsentField),
            fields.QueryText(PageField, number: true, $"must be a whole number from 1 to {AlumniSearchCriteria.MaxPage}"));
        return fields.Errors.Count > 0 ? (null, fields.Errors) : (request, []);
    }
}

/// <summary>
/// Validated search criteria, all optional and combined with AND. <see cref="Text"/> is a case- and width-insensitive
/// contains match on the name (family + given in either order, spaces ignored, so 山田花子 finds 山田 花子) and on the
/// personal email; the department matches exactly; consent means the purpose is granted now.
/// </summary>
public sealed record AlumniSearchCriteria(string? Text, string? Department, AlumnusStatus? Status, ConsentPurpose? Consent, int Page)
{
    public const int MaxTextLength = 200;

    /// <summary>100,000 alumni (the design's upper bound) are 1,000 pages; the cap keeps the skip count far from overflow.</summary>
    public const int MaxPage = 10_000;

    private const CompareOptions TextMatch = CompareOptions.IgnoreCase | CompareOptions.IgnoreWidth;

    public static (AlumniSearchCriteria? Criteria, IReadOnlyList<FieldError> Errors) Parse(AlumniSearchRequest request)
    {
        var errors = new List<FieldError>();
        var text = QueryValues.Text(request.Q, "q", MaxTextLength, errors);
        var department = QueryValues.Text(request.Department, "department", MaxTextLength, errors);
        var status = QueryValues.Enum<AlumnusStatus>(request.Status, "status", errors);
        var consent = QueryValues.Enum<ConsentPurpose>(request.Consent, "consent", errors);
        var page = QueryValues.Int(request.Page, "page", 1, MaxPage, 1, errors);
        return errors.Count > 0 ? (null, errors) : (new AlumniSearchCriteria(text is null ? null : Compact(text), department, status, consent, page), errors);
    }

    /// <summary>The names of the filters in use, for the audit log. Never their values: the text may be a name or an email.</summary>
    public string FilterNames => string.Join(',', new[]
    {
        Text is null ? null : "q",
        Department is null ? null : "department",
        Status is null ? null : "status",
        Consent is null ? null : "consent",
    }.OfType<string>().DefaultIfEmpty("none"));

    /// <summary>
    /// Every filter that the alumni row alone decides (all but consent, which needs the ledger). A person whose erasure is
    /// under way matches nothing: they asked to be gone, and the retention purge finishes what a failure left.
    /// </summary>
    public bool MatchesRecord(Alumnus alumnus) =>
        alumnus.ErasureStartedAt is null &&
        (Department is null || string.Equals(alumnus.Department, Department, StringComparison.Ordinal)) &&
        (Status is null || alumnus.Status == Status) &&
        (Text is null || Contains(alumnus.FamilyName + alumnus.GivenName) || Contains(alumnus.GivenName + alumnus.FamilyName) ||
         Contains(alumnus.PersonalEmail.Value));

    private bool Contains(string value) => CultureInfo.InvariantCulture.CompareInfo.IndexOf(Compact(value), Text!, TextMatch) >= 0;

    /// <summary>Without any white space, including the ideographic space (U+3000) common between Japanese names.</summary>
    private static string Compact(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c)));
}

/// <summary>One alumnus in a result list: enough to pick the right person, not the whole record.</summary>
public sealed record AlumnusSummary(
    string Id, string EmployeeId, string FamilyName, string GivenName, string PersonalEmail, string? Department, string Status, DateOnly LastWorkingDay)
{
    public static AlumnusSummary From(Alumnus a) =>
        new(a.Id.Value, a.EmployeeId, a.FamilyName, a.GivenName, a.PersonalEmail.Value, a.Department, a.Status.ToString(), a.LastWorkingDay);
}

/// <param name="NextPage">The page to ask for next, or null when this is the last.</param>
public sealed record AlumniSearchPage(int Page, int PageSize, IReadOnlyList<AlumnusSummary> Items, int? NextPage);

/// <summary>
/// Admin search over all alumni. Table Storage has no secondary indexes, so this reads the Alumni table in id order and
/// filters in memory, stopping as soon as the requested page and one more match are found. Cost: up to one full scan
/// (100,000 rows are 100 requests of 1,000, a few seconds) per page; the consent filter adds one ledger query per alumnus
/// that passes the other filters (<see cref="ConsentLookup"/>), so combine it with another filter where possible.
/// Pages are positions in the filtered list: an alumnus recorded between two requests can shift one result by one.
/// </summary>
public sealed partial class SearchAlumni(IAlumniStore alumni, IConsentLedger consents, IAuditLog audit, TimeProvider time, ILogger<SearchAlumni> logger)
{
    public const int PageSize = 100;

    /// <summary>A search whose criteria came as the JSON body of <c>POST /api/manage/alumni/search</c> (<see cref="AlumniSearchBody"/>).</summary>
    public async Task<AdminOutcome<AlumniSearchPage>> HandleAsync(ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var (request, errors) = AlumniSearchBody.Parse(body.Span);
        return request is null ? new AdminOutcome<AlumniSearchPage>.Invalid(errors) : await HandleAsync(request, actor, cancellationToken);
    }

    public async Task<AdminOutcome<AlumniSearchPage>> HandleAsync(AlumniSearchRequest request, string actor, CancellationToken cancellationToken)
    {
        var (criteria, errors) = AlumniSearchCriteria.Parse(request);
        if (criteria is null)
        {
            return new AdminOutcome<AlumniSearchPage>.Invalid(errors);
        }

        var skip = (criteria.Page - 1) * PageSize;
        var items = new List<AlumnusSummary>(PageSize);
        var hasMore = false;
        await foreach (var alumnus in MatchesAsync(criteria, cancellationToken))
        {
            if (skip > 0)
            {
                skip--;
            }
            else if (items.Count == PageSize)
            {
                hasMore = true;
                break;
            }
            else
            {
                items.Add(AlumnusSummary.From(alumnus));
            }
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.AlumniSearch, "",
            $"filters={criteria.FilterNames}; page={criteria.Page}; results={items.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, [.. items.Select(i => AlumnusId.Parse(i.Id))], cancellationToken);
        LogSearched(criteria.FilterNames, items.Count);
        return new AdminOutcome<AlumniSearchPage>.Done(new AlumniSearchPage(criteria.Page, PageSize, items, hasMore ? criteria.Page + 1 : null));
    }

    private async IAsyncEnumerable<Alumnus> MatchesAsync(AlumniSearchCriteria criteria, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = RecordMatchesAsync(criteria, cancellationToken);
        if (criteria.Consent is not { } purpose)
        {
            await foreach (var alumnus in rows)
            {
                yield return alumnus;
            }

            yield break;
        }

        await foreach (var (alumnus, consent) in consents.WithConsentAsync(rows, cancellationToken))
        {
            if (consent.Has(purpose))
            {
                yield return alumnus;
            }
        }
    }

    private async IAsyncEnumerable<Alumnus> RecordMatchesAsync(AlumniSearchCriteria criteria, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var alumnus in alumni.ListAsync(cancellationToken))
        {
            if (criteria.MatchesRecord(alumnus))
            {
                yield return alumnus;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin search with filters {Filters} returned {Count} alumni")]
    private partial void LogSearched(string filters, int count);
}

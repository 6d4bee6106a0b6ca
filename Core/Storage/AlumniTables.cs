using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using Azure.Data.Tables;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// The app's tables. Each is created on first use, not at start-up, so the app answers the host's readiness probe
/// at once. A prefix lets tests and side-by-side deployments share one account. Transactions are counted by table
/// (meter <c>AlumniNetwork.Storage</c>), which is how the campaign benchmark knows what a campaign wrote.
/// </summary>
public sealed class AlumniTables(TableServiceClient service, string prefix = "", IMeterFactory? meters = null)
{
    public const string MeterName = "AlumniNetwork.Storage";

    private readonly Counter<long>? transactions = meters?.Create(MeterName).CreateCounter<long>("storage.transactions", description: "Table transactions submitted, by table");

    public const string Alumni = "Alumni";
    public const string AlumniIndex = "AlumniIndex";
    public const string Consents = "Consents";
    public const string WorkItems = "WorkItems";
    public const string Sends = "Sends";
    public const string WebhookReceipts = "WebhookReceipts";
    public const string Suppressions = "Suppressions";
    public const string OutreachDecisions = "OutreachDecisions";
    public const string Audit = "Audit";

    /// <summary>The audit log's index by subject: which entries read or changed each alumnus.</summary>
    public const string AuditSubjects = "AuditSubjects";
    public const string Profiles = "Profiles";
    public const string Engagement = "Engagement";
    public const string Campaigns = "Campaigns";
    public const string Newsletters = "Newsletters";
    public const string Events = "Events";

    /// <summary>Openings and the interest expressed in them (one partition per opening).</summary>
    public const string Openings = "Openings";

    /// <summary>Hires the HR system reported and what each was attributed to.</summary>
    public const string Rehires = "Rehires";

    /// <summary>The dashboard's rolled-up figures: one row.</summary>
    public const string Insights = "Insights";

    /// <summary>Surveys, their versions, campaigns and pseudonym keys; and their responses, guards and aggregate cells.</summary>
    public const string Surveys = "Surveys";
    public const string SurveyResponses = "SurveyResponses";

    /// <summary>Collaboration cards by alumnus bucket; requests and their per-alumnus limit by alumnus.</summary>
    public const string CollaborationCards = "CollaborationCards";
    public const string CollaborationRequests = "CollaborationRequests";

    /// <summary>The conflict-of-interest register (one partition), the flagged alumni's assessments, compliance approvals.</summary>
    public const string ConflictRegister = "ConflictRegister";
    public const string ConflictAssessments = "ConflictAssessments";
    public const string ComplianceApprovals = "ComplianceApprovals";

    /// <summary>
    /// The ASP.NET Core Data Protection key ring, shared by every instance (console form tokens). Not in <see cref="All"/>:
    /// it holds the framework's keys, created at start-up, not data about anyone.
    /// </summary>
    public const string DataProtectionKeys = "DataProtectionKeys";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> clients = new();

    public static IReadOnlyList<string> All { get; } =
        [Alumni, AlumniIndex, Consents, WorkItems, Sends, WebhookReceipts, Suppressions, OutreachDecisions, Audit, Profiles, Engagement, Campaigns, Newsletters, AuditSubjects, Events, Insights, Surveys, SurveyResponses, Openings, Rehires,
        CollaborationCards, CollaborationRequests, ConflictRegister, ConflictAssessments, ComplianceApprovals];

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        // Created once, shared by concurrent callers, and never with one caller's token: a caller that gives up must
        // not fail the table for everyone. A failed creation (say, a token fetch at cold start) is tried again.
        var creation = clients.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(prefix + n)));
        try
        {
            return await creation.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (creation.Value.IsFaulted)
        {
            clients.TryRemove(KeyValuePair.Create(name, creation));
            throw;
        }
    }

    /// <summary>Submits one entity-group transaction (at most 100 rows of one partition) and counts it by table.</summary>
    public async Task<Response<IReadOnlyList<Response>>> SubmitAsync(string name, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var table = await GetAsync(name, cancellationToken);
        transactions?.Add(1, new KeyValuePair<string, object?>("table", name));
        return await table.SubmitTransactionAsync(actions, cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string tableName)
    {
        var client = service.GetTableClient(tableName);
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}

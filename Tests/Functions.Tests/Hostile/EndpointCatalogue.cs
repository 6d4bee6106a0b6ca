using System.Globalization;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>What kind of endpoint an HTTP function is: it decides which bad requests the suite generates for it.</summary>
public abstract record EndpointKind;

/// <summary>
/// A JSON webhook signed with Standard Webhooks (the HR system). <paramref name="Batch"/>: the nightly batch, whose
/// <c>data</c> is an array of departures and whose body may be as large as the admin import's.
/// </summary>
public sealed record HrisWebhook(bool Batch = false) : EndpointKind;

/// <summary>SendGrid's signed Event Webhook.</summary>
public sealed record SendGridWebhook : EndpointKind;

/// <summary>
/// An alumni page behind a signed link. <paramref name="FormPost"/>: POST is a same-origin form carrying the token
/// (else the token stays in the query, as for the one-click unsubscribe). <paramref name="BadFields"/>: form or query
/// values that must be refused even with a valid token, and how. <paramref name="FormFields"/>: what the page's form
/// posts besides the token (its button), so that a case aimed at the token or the framing is refused for that alone.
/// </summary>
public sealed record AlumniPageEndpoint(LinkPurpose Purpose, bool FormPost, IReadOnlyList<BadField> BadFields, string FormFields = "") : EndpointKind;

/// <param name="InQuery">Sent in the query string (with a GET) rather than in the posted form.</param>
/// <param name="Encoded">The value is already percent-encoded (to send bytes that are not UTF-8).</param>
public sealed record BadField(string Name, string Value, int Status, Answer Answer, bool InQuery = false, bool Encoded = false)
{
    public string Pair => $"{Uri.EscapeDataString(Name)}={(Encoded ? Value : Uri.EscapeDataString(Value))}";
}

/// <summary>
/// An admin JSON endpoint behind the admin JWT. <paramref name="BadQueries"/>: query strings refused with 400 and a problem
/// naming one of their keys; <paramref name="JsonBody"/>: it reads a JSON object body (PATCH) with at most <paramref name="MaxBodyBytes"/>.
/// </summary>
/// <param name="ValidBody">A body the endpoint would take, sent where the fault is elsewhere (the token, the path), and
/// the body each of <paramref name="BadBodies"/> breaks.</param>
/// <param name="Target">What the route's parameters name: a real record, so a request let through would change it.</param>
/// <param name="BadBodies">The endpoint's own rules: each the valid body with one field broken.</param>
/// <param name="IfMatch">It takes an optional <c>If-Match</c> with the record's version (ADR 0032): a malformed one is 400, a stale one 412.</param>
/// <param name="IdempotencyKey">It takes an optional <c>Idempotency-Key</c> (ADR 0037): a malformed one is 400 naming it.</param>
public sealed record AdminEndpoint(
    IReadOnlyList<string> BadQueries, bool JsonBody = false, int MaxBodyBytes = 0, string ValidBody = """{"doNotContact":true}""",
    Target Target = Target.Member, IReadOnlyList<BadBody>? BadBodies = null, bool IfMatch = false, bool IdempotencyKey = false) : EndpointKind;

/// <summary>
/// What an admin route's parameters name in the suite's fixture. Every case aimed at the endpoint (tokens, queries,
/// bodies) goes to it, so the fault under test is the only reason to refuse: never "not found".
/// </summary>
public enum Target
{
    /// <summary>The joined member (an alumnus id).</summary>
    Member,

    /// <summary>The published event; an <c>{alumnusId}</c> is the member, who is attending it.</summary>
    PublishedEvent,

    /// <summary>A draft event: a valid update or a publish would change it.</summary>
    DraftEvent,

    /// <summary>A news item in its publish window.</summary>
    NewsItem,

    /// <summary>The published event's invitation campaign.</summary>
    Campaign,

    /// <summary>The <c>campaign-batches</c> queue, which holds a dead letter a re-drive would move.</summary>
    CampaignBatches,

    /// <summary>The published survey the member may answer (version 1): a close or a wave would change it.</summary>
    PublishedSurvey,

    /// <summary>A draft survey: a valid edit or a publish would change it.</summary>
    DraftSurvey,

    /// <summary>A published survey at its last version (<see cref="Core.Surveys.SurveyCampaigns.MaxVersion"/>): no edit is taken.</summary>
    LastVersionSurvey,

    /// <summary>A news item whose publish window has ended, while as many others as may be live are: an edit opening it is refused.</summary>
    EndedNewsItem,

    /// <summary>An open opening, not yet sent: a valid update or a send would change it.</summary>
    Opening,
}

/// <summary>
/// The endpoint's valid body with one field broken by <paramref name="Break"/>: refused with <paramref name="Status"/>, a
/// problem whose <c>errors</c> name <paramref name="Field"/>, and nothing changed. A 409 breaks a rule of the state of the
/// record it is sent to, <paramref name="Target"/> when the endpoint's own target does not hold that state.
/// </summary>
public sealed record BadBody(string What, string Field, Action<JsonObject> Break, int Status = 400, Target? Target = null);

/// <summary>An endpoint whose input the suite does not generate (the health signal, the API document): only methods and paths can be wrong.</summary>
public sealed record PublicEndpoint : EndpointKind;

/// <summary>The development SendGrid sink (not a function, never mapped outside Development); it answers in SendGrid's format.</summary>
public sealed record DevSinkEndpoint(bool MailSend) : EndpointKind;

/// <param name="Name">The function (its folder), or a name for a development-only endpoint.</param>
/// <param name="Route">The path as served, with <c>{id}</c>-style parameters left in.</param>
public sealed record Endpoint(string Name, IReadOnlyList<string> Methods, string Route, EndpointKind Kind)
{
    /// <summary>The path with every route parameter replaced by <paramref name="id"/>.</summary>
    public string Path(string id) => Path(_ => id);

    /// <summary>The path with each route parameter replaced by its value: <paramref name="valueOf"/> gets the parameter's name (<c>id</c> of <c>{id:length(32)}</c>).</summary>
    public string Path(Func<string, string> valueOf) =>
        System.Text.RegularExpressions.Regex.Replace(Route, @"\{\*?([^}:]+)[^}]*\}", m => valueOf(m.Groups[1].Value));
}

/// <summary>
/// Every endpoint the hostile suite attacks. HTTP functions are listed by name with their kind; their methods and
/// routes are read from their function.json, and a test fails when a function.json with an HTTP trigger is missing
/// here. A new HTTP function joins the suite with one line in <see cref="HttpFunctions"/>.
/// </summary>
public static class EndpointCatalogue
{
    public static IReadOnlyDictionary<string, EndpointKind> HttpFunctions { get; } = new Dictionary<string, EndpointKind>
    {
        ["HrisDepartures"] = new HrisWebhook(),
        ["HrisDepartureBatch"] = new HrisWebhook(Batch: true),
        ["Health"] = new PublicEndpoint(),
        ["AdminApiDocument"] = new PublicEndpoint(),

        // The console's own forms, sessions and roles are attacked by its tests (Console/*); here its methods.
        ["AdminConsole"] = new PublicEndpoint(),
        ["SendGridEvents"] = new SendGridWebhook(),
        ["JoinNetwork"] = new AlumniPageEndpoint(LinkPurpose.Join, FormPost: true, PurposeValues),
        ["ManagePreferences"] = new AlumniPageEndpoint(LinkPurpose.Preferences, FormPost: true, [.. PurposeValues, .. PreferencesActions], "action=save"),
        ["EditProfile"] = new AlumniPageEndpoint(LinkPurpose.Profile, FormPost: true, ProfileValues),
        ["ExportMyData"] = new AlumniPageEndpoint(LinkPurpose.Export, FormPost: true, []),
        ["EraseMyData"] = new AlumniPageEndpoint(LinkPurpose.Erase, FormPost: true, []),
        ["Unsubscribe"] = new AlumniPageEndpoint(LinkPurpose.Unsubscribe, FormPost: false, CategoryValues),
        ["GetAlumnus"] = new AdminEndpoint([]),
        ["SearchAlumni"] = new AdminEndpoint(SearchQueries),
        ["SearchAlumniByBody"] = new AdminEndpoint(["q=hanako", "q=", "department=Markets&q=%E5%B1%B1%E7%94%B0"], JsonBody: true,
            MaxBodyBytes: Functions.SearchAlumniByBody.SearchAlumniByBodyFunction.MaxBodyBytes, ValidBody: SearchBody, BadBodies: SearchBodies),
        ["SetAlumnusFlags"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.SetAlumnusFlags.SetAlumnusFlagsFunction.MaxBodyBytes, BadBodies: FlagBodies),
        ["ExportAlumniCsv"] = new AdminEndpoint([]),
        ["QueryAuditLog"] = new AdminEndpoint(AuditQueries),
        ["ListDeadLetters"] = new AdminEndpoint(["queue=unknown-queue", "limit=0", "limit=1001", "limit=abc"]),
        ["RedriveDeadLetters"] = new AdminEndpoint(["limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=1e3", "limit=1.5", "limit=%00", "limit=%EF%BC%91"],
            Target: Target.CampaignBatches),
        ["ListFailedWork"] = new AdminEndpoint(["kind=unknown", "limit=0", "limit=abc"]),
        ["RetryFailedWork"] = new AdminEndpoint(["kind=unknown", "limit=0", "limit=abc"]),
        ["ListCampaigns"] = new AdminEndpoint([]),
        ["GetCampaign"] = new AdminEndpoint([], Target: Target.Campaign),
        // The fixture holds as many live news items as allowed (HostileSuiteFixture), so a create that passes every other rule is refused for it.
        ["CreateNewsItem"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateNewsItem.CreateNewsItemFunction.MaxBodyBytes, ValidBody: Newsletters.NewsletterAdminTests.Item,
            BadBodies: [.. NewsBodies, new("create with the most live news items there already", "publishUntil", _ => { }, 409)], IdempotencyKey: true),
        ["ImportDepartures"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.ImportDepartures.ImportDeparturesFunction.MaxBodyBytes,
            ValidBody: """[{"employeeId": "E9901", "givenName": "Hostile", "familyName": "Suite", "personalEmail": "hostile.import@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]"""),
        ["ListNewsItems"] = new AdminEndpoint([]),
        ["GetNewsItem"] = new AdminEndpoint([], Target: Target.NewsItem),
        ["ReplaceNewsItem"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateNewsItem.CreateNewsItemFunction.MaxBodyBytes, ValidBody: Newsletters.NewsletterAdminTests.Item,
            Target: Target.NewsItem, BadBodies: [.. NewsBodies, new("edit opening an ended news item with the most live there already", "publishUntil", _ => { }, 409, Target.EndedNewsItem)],
            IfMatch: true),
        ["DeleteNewsItem"] = new AdminEndpoint([], Target: Target.NewsItem),
        ["PreviewNewsletter"] = new AdminEndpoint(["locale=fr-FR", "locale=ja", "locale=%FF"]),
        ["SendNewsletterTest"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.SendNewsletterTest.SendNewsletterTestFunction.MaxBodyBytes,
            ValidBody: """{"email": "editor@corp.example.com", "locale": "en-US"}""", BadBodies: TestSendBodies, IdempotencyKey: true),
        ["CreateEvent"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateEvent.EventBodies.MaxBytes, ValidBody: EventSeeds.Body(), BadBodies: EventBodies,
            IdempotencyKey: true),
        ["GetEvent"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["UpdateEvent"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateEvent.EventBodies.MaxBytes, ValidBody: EventSeeds.Body(),
            Target: Target.DraftEvent, BadBodies: EventBodies, IfMatch: true),
        ["PublishEvent"] = new AdminEndpoint([], Target: Target.DraftEvent, IfMatch: true),
        ["CancelEvent"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["ListEventAttendees"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["ExportEventCheckIn"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["MarkEventAttendance"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.MarkEventAttendance.MarkEventAttendanceFunction.MaxBodyBytes, ValidBody: """{"attended": true}""",
            Target: Target.PublishedEvent, BadBodies: AttendanceBodies),
        ["InviteEventStaff"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.InviteEventStaff.InviteEventStaffFunction.MaxBodyBytes,
            ValidBody: """{"addresses": ["colleague@corp.example.com", "organiser@corp.example.com"]}""", Target: Target.PublishedEvent, BadBodies: InvitationBodies),
        ["RespondToEvent"] = new AlumniPageEndpoint(LinkPurpose.Rsvp, FormPost: true, ChoiceValues),
        ["CreateSurvey"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateSurvey.CreateSurveyFunction.MaxBodyBytes, ValidBody: SurveySeeds.Body(),
            BadBodies: SurveyBodies, IdempotencyKey: true),
        ["ListSurveys"] = new AdminEndpoint([]),
        ["GetSurvey"] = new AdminEndpoint([], Target: Target.PublishedSurvey),
        ["EditSurvey"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateSurvey.CreateSurveyFunction.MaxBodyBytes, ValidBody: SurveySeeds.Body(),
            Target: Target.DraftSurvey, BadBodies: [.. SurveyBodies, new("edit of a survey at its last version", "version", _ => { }, 409, Target.LastVersionSurvey)], IfMatch: true),
        ["PublishSurvey"] = new AdminEndpoint([], Target: Target.DraftSurvey, IfMatch: true),
        ["CloseSurvey"] = new AdminEndpoint([], Target: Target.PublishedSurvey),
        ["StartSurveyWave"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.StartSurveyWave.StartSurveyWaveFunction.MaxBodyBytes, ValidBody: """{"name": "hostile"}""",
            Target: Target.PublishedSurvey, BadBodies: WaveBodies),
        ["GetSurveyResults"] = new AdminEndpoint(ResultsQueries, Target: Target.PublishedSurvey),
        ["AnswerSurvey"] = new AlumniPageEndpoint(LinkPurpose.Survey, FormPost: true, SurveyValues),
        ["CreateOpening"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateOpening.CreateOpeningFunction.MaxBodyBytes, ValidBody: OpeningSeeds.Body(),
            BadBodies: OpeningBodies, IdempotencyKey: true),
        ["ListOpenings"] = new AdminEndpoint([]),
        ["GetOpening"] = new AdminEndpoint([], Target: Target.Opening),
        ["UpdateOpening"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateOpening.CreateOpeningFunction.MaxBodyBytes, ValidBody: OpeningSeeds.Body(),
            Target: Target.Opening, BadBodies: OpeningBodies, IfMatch: true),
        ["ListOpeningMatches"] = new AdminEndpoint([], Target: Target.Opening),
        ["SendOpening"] = new AdminEndpoint([], Target: Target.Opening, IfMatch: true),
        ["ListOpeningInterests"] = new AdminEndpoint([], Target: Target.Opening),
        ["ListRehires"] = new AdminEndpoint(RehireQueries),
        ["BrowseOpenings"] = new AlumniPageEndpoint(LinkPurpose.Openings, FormPost: true, InterestValues),
        ["PublishCollaborationCard"] = new AlumniPageEndpoint(LinkPurpose.CollaborationCard, FormPost: true, CardValues),
        ["BrowseCollaborationDirectory"] = new AlumniPageEndpoint(LinkPurpose.CollaborationDirectory, FormPost: false, DirectoryValues),
        ["AnswerCollaborationRequest"] = new AlumniPageEndpoint(LinkPurpose.CollaborationAnswer, FormPost: true, AnswerValues),
        ["RequestCollaboration"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.RequestCollaboration.RequestCollaborationFunction.MaxBodyBytes,
            ValidBody: CollaborationRequestBody, BadBodies: CollaborationRequestBodies, IdempotencyKey: true),
    };

    /// <summary>Development-only endpoints: not functions, so listed here in full.</summary>
    public static IReadOnlyList<Endpoint> DevelopmentOnly { get; } =
    [
        new("DevSendGridMailSend", ["POST"], Functions.DevSendGrid.DevSendGridEndpoints.MailSendPath, new DevSinkEndpoint(MailSend: true)),
        new("DevOutboxMessageHtml", ["GET"], "/dev/outbox/messages/{id}/html", new DevSinkEndpoint(MailSend: false)),
    ];

    /// <summary>The HTTP functions of the app as their function.json files declare them.</summary>
    public static IReadOnlyList<FunctionDefinition> HttpFunctionDefinitions { get; } =
        FunctionCatalog.LoadFunctions(RepoPaths.Functions).Where(f => f.Trigger.Type == "httpTrigger").ToArray();

    public static IReadOnlyList<Endpoint> All { get; } = HttpFunctionDefinitions
        .Where(f => HttpFunctions.ContainsKey(f.Name))
        .Select(f => new Endpoint(
            f.Name,
            f.Trigger.Methods!.Select(m => m.ToUpperInvariant()).ToArray(),
            $"/{FunctionCatalog.LoadHost(RepoPaths.Root).RoutePrefix}/{f.Trigger.Route}",
            HttpFunctions[f.Name]))
        .Concat(DevelopmentOnly)
        .ToArray();

    /// <summary>The event rules (issue 8), each broken alone in an event 30 days ahead.</summary>
    private static BadBody[] EventBodies =>
    [
        new("end before start", "end", b => b["end"] = Shift(b, "start", hours: -1)),
        new("end equal to start", "end", b => b["end"] = Shift(b, "start", hours: 0)),
        new("capacity 0", "capacity", b => b["capacity"] = 0),
        new("capacity -1", "capacity", b => b["capacity"] = -1),
        new("capacity 100001", "capacity", b => b["capacity"] = 100_001),
        new("capacity 1.5", "capacity", b => b["capacity"] = 1.5),
        new("capacity as text", "capacity", b => b["capacity"] = "80"),
        new("registrationDeadline after start", "registrationDeadline", b => b["registrationDeadline"] = Shift(b, "start", hours: 1)),
        new("audience.salaryBand (no such segment field)", "audience.salaryBand", b => b["audience"] = new JsonObject { ["salaryBand"] = "A" }),
        new("audience.departedFromYear as text", "audience.departedFromYear", b => b["audience"] = new JsonObject { ["departedFromYear"] = "2015" }),
        new("audience.lastWorkingDayFrom 0001-01-01", "audience.lastWorkingDayFrom", b => b["audience"] = new JsonObject { ["lastWorkingDayFrom"] = "0001-01-01" }),
        new("audience.lastWorkingDayTo 9999-12-31", "audience.lastWorkingDayTo", b => b["audience"] = new JsonObject { ["lastWorkingDayTo"] = "9999-12-31" }),
        new("start as a date only", "start", b => b["start"] = Shift(b, "start", hours: 0)[..10]),
        new("start with an offset", "start", b => b["start"] = Shift(b, "start", hours: 0) + "+09:00"),
        new("start in UTC", "start", b => b["start"] = Shift(b, "start", hours: 0) + "Z"),
        new("start with seconds", "start", b => b["start"] = Shift(b, "start", hours: 0) + ":30"),
        new("start day/month/year", "start", b => b["start"] = "10/02/2027 19:00"),
        new("start on 30 February", "start", b => b["start"] = "2027-02-30T19:00"),
        new("start as a number", "start", b => b["start"] = 1_800_000_000),
        new("start in the past", "start", b => b["start"] = EventSeeds.Local(TimeProvider.System.GetUtcNow().AddDays(-1))),
        new("end not a time", "end", b => b["end"] = "tomorrow"),
        new("registrationDeadline with a space", "registrationDeadline", b => b["registrationDeadline"] = Shift(b, "registrationDeadline", hours: 0).Replace('T', ' ')),
        new("timeZone unknown", "timeZone", b => b["timeZone"] = "Mars/Olympus_Mons"),
        // A zone the system knows but Ical.Net cannot carry in the calendar invitation.
        new("timeZone localtime", "timeZone", b => b["timeZone"] = "localtime"),
        new("kind unknown", "kind", b => b["kind"] = "Party"),
        new("onlineUrl javascript:", "onlineUrl", b => b["onlineUrl"] = "javascript:alert(1)"),
        new("title.en over 200 characters", "title.en", b => b["title"]!["en"] = new string('x', 201)),
        // Titles go into email subjects: one line, no direction controls.
        new("title.ja on two lines", "title.ja", b => b["title"]!["ja"] = "アルムナイ講演会\nBcc: hostile@example.net"),
        new("title.en with a CR", "title.en", b => b["title"]!["en"] = "Alumni\rlecture"),
        new("title.en with a tab", "title.en", b => b["title"]!["en"] = "Alumni\tlecture"),
        new("title.en with a line separator", "title.en", b => b["title"]!["en"] = "Alumni\u2028lecture"),
        new("title.ja with a paragraph separator", "title.ja", b => b["title"]!["ja"] = "講演会\u2029第二部"),
        new("title.en with a right-to-left override", "title.en", b => b["title"]!["en"] = "Alumni \u202Eerutcel"),
        new("title.ja with a direction isolate", "title.ja", b => b["title"]!["ja"] = "\u2067講演会\u2069"),
        // Descriptions may run over lines, never hold direction controls or line separators (mail, console, CSV).
        new("description.en with a right-to-left override", "description.en", b => b["description"]!["en"] = "Doors open \u202E.m.p 7"),
        new("description.ja with a line separator", "description.ja", b => b["description"]!["ja"] = "講演と\u2028懇親会"),
        new("description.ja with a direction isolate", "description.ja", b => b["description"]!["ja"] = "講演と\n\u2066懇親会\u2069"),
        new("hosts[0].role unknown", "hosts[0].role", b => b["hosts"]![0]!["role"] = "Owner"),
    ];

    /// <summary>The news-item rules (issue 8), each broken alone in a valid item.</summary>
    private static BadBody[] NewsBodies =>
    [
        new("publishUntil before publishFrom", "publishUntil", b => b["publishUntil"] = "2026-10-01T00:00:00+09:00"),
        new("publishUntil equal to publishFrom", "publishUntil", b => b["publishUntil"] = b["publishFrom"]!.GetValue<string>()),
        new("publishFrom without an offset", "publishFrom", b => b["publishFrom"] = "2026-11-01T00:00:00"),
        new("publishUntil without an offset", "publishUntil", b => b["publishUntil"] = "2027-11-01T00:00:00"),
        new("publishFrom not a time", "publishFrom", b => b["publishFrom"] = "next week"),
        new("link javascript:", "link", b => b["link"] = "javascript:alert(1)"),
        new("link JavaScript: in capitals", "link", b => b["link"] = "JavaScript:alert(document.cookie)"),
        new("link data:", "link", b => b["link"] = "data:text/html,<script>alert(1)</script>"),
        new("link relative", "link", b => b["link"] = "/news/1"),
        new("link over 500 characters", "link", b => b["link"] = "https://alumni.example.com/" + new string('x', 500)),
        new("titleEn over 200 characters", "titleEn", b => b["titleEn"] = new string('x', 201)),
        new("titleJa over 200 characters", "titleJa", b => b["titleJa"] = new string('あ', 201)),
        new("titleJa blank", "titleJa", b => b["titleJa"] = " \u3000 "),
        new("bodyEn over 2000 characters", "bodyEn", b => b["bodyEn"] = new string('x', 2001)),
        new("bodyJa as a number", "bodyJa", b => b["bodyJa"] = 7),
        new("bodyEn with a right-to-left override", "bodyEn", b => b["bodyEn"] = "Tokyo, \u202Eyraunaj 02"),
        new("bodyJa with a paragraph separator", "bodyJa", b => b["bodyJa"] = "1月20日に\u2029東京で開催します。"),
    ];

    /// <summary>Attendance is true or false, nothing else.</summary>
    private static BadBody[] AttendanceBodies =>
    [
        new("attended \"yes\"", "attended", b => b["attended"] = "yes"),
        new("attended \"true\"", "attended", b => b["attended"] = "true"),
        new("attended 1", "attended", b => b["attended"] = 1),
        new("attended null", "attended", b => b["attended"] = null),
    ];

    /// <summary>One to 500 work addresses, each an address.</summary>
    private static BadBody[] InvitationBodies =>
    [
        new("addresses empty", "addresses", b => b["addresses"] = new JsonArray()),
        new("501 addresses", "addresses", b => b["addresses"] = new JsonArray([.. Enumerable.Range(0, 501).Select(i => (JsonNode)$"colleague{i}@corp.example.com")])),
        new("addresses as text", "addresses", b => b["addresses"] = "colleague@corp.example.com"),
        new("addresses null", "addresses", b => b["addresses"] = null),
        new("a malformed address", "addresses[1]", b => b["addresses"]![1] = "organiser.corp.example.com"),
        new("an address with two @", "addresses[1]", b => b["addresses"]![1] = "organiser@corp@example.com"),
        new("an address with a display name", "addresses[1]", b => b["addresses"]![1] = "Organiser <organiser@corp.example.com>"),
        new("an address as a number", "addresses[1]", b => b["addresses"]![1] = 7),
    ];

    /// <summary>A test send goes to one address, in one of the two languages.</summary>
    private static BadBody[] TestSendBodies =>
    [
        new("email malformed", "email", b => b["email"] = "editor.corp.example.com"),
        new("email with two @", "email", b => b["email"] = "editor@corp@example.com"),
        new("email with a display name", "email", b => b["email"] = "Editor <editor@corp.example.com>"),
        new("email with a header injected", "email", b => b["email"] = "editor@corp.example.com\r\nBcc: someone@example.net"),
        new("email over 254 characters", "email", b => b["email"] = new string('x', 250) + "@corp.example.com"),
        new("email as a number", "email", b => b["email"] = 7),
        new("locale fr-FR", "locale", b => b["locale"] = "fr-FR"),
    ];

    /// <summary>The flags are true or false (rehire eligibility also null, for "not decided"), and there are only two.</summary>
    private static BadBody[] FlagBodies =>
    [
        new("doNotContact \"true\"", "doNotContact", b => b["doNotContact"] = "true"),
        new("doNotContact 0", "doNotContact", b => b["doNotContact"] = 0),
        new("doNotContact null, named", "doNotContact", b => b["doNotContact"] = null),
        new("rehireEligible \"no\"", "rehireEligible", b => b["rehireEligible"] = "no"),
        new("rehireEligible as a list", "rehireEligible", b => b["rehireEligible"] = new JsonArray(true)),
        new("conflictOfInterest (not a flag set here)", "conflictOfInterest", b => b["conflictOfInterest"] = true),
    ];

    /// <summary>
    /// The survey rules (SurveyDraft), each broken alone in the seeds' survey: questions 0 recommend (0-10), 1 topics
    /// (three options, up to two), 2 why (free text, shown after 0-6), 3 back (return intent).
    /// </summary>
    private static BadBody[] SurveyBodies =>
    [
        new("title missing", "title", b => b.Remove("title")),
        new("title as text", "title", b => b["title"] = "Alumni survey"),
        new("title.en missing", "title.en", b => b["title"]!.AsObject().Remove("en")),
        new("title.en over 200 characters", "title.en", b => b["title"]!["en"] = new string('x', 201)),
        new("title.ja blank", "title.ja", b => b["title"]!["ja"] = " \u3000 "),
        new("title.ja with a control character", "title.ja", b => b["title"]!["ja"] = "退職者\u0007アンケート"),
        new("title.ja on two lines", "title.ja", b => b["title"]!["ja"] = "退職者\nアンケート"),
        new("title.en with a line separator", "title.en", b => b["title"]!["en"] = "Alumni\u2028survey"),
        new("title.fr (no such language)", "title.fr", b => b["title"]!["fr"] = "Enquête"),
        new("introduction.en over 2000 characters", "introduction.en", b => b["introduction"]!["en"] = new string('x', 2001)),
        new("introduction.en with a line separator", "introduction.en", b => b["introduction"]!["en"] = "Tell us\u2028frankly"),
        new("introduction.ja with a right-to-left override", "introduction.ja", b => b["introduction"]!["ja"] = "率直な\u202Eご意見"),
        new("mode missing", "mode", b => b.Remove("mode")),
        new("mode unknown", "mode", b => b["mode"] = "Secret"),
        new("mode in lower case", "mode", b => b["mode"] = "anonymous"),
        new("mode as a number", "mode", b => b["mode"] = 0),
        new("questions empty", "questions", b => b["questions"] = new JsonArray()),
        new("questions missing", "questions", b => b.Remove("questions")),
        new("31 questions", "questions", b => b["questions"] = new JsonArray([.. Enumerable.Range(0, 31).Select(i => (JsonNode)new JsonObject
            { ["id"] = $"q{i}", ["kind"] = "Scale0To10", ["text"] = new JsonObject { ["ja"] = "質問", ["en"] = "Question" } })])),
        new("questions[0].id in capitals", "questions[0].id", b => b["questions"]![0]!["id"] = "Recommend"),
        new("questions[0].id over 16 characters", "questions[0].id", b => b["questions"]![0]!["id"] = new string('r', 17)),
        new("questions[1].id repeats questions[0]'s", "questions[1].id", b => b["questions"]![1]!["id"] = "recommend"),
        new("questions[0].kind unknown", "questions[0].kind", b => b["questions"]![0]!["kind"] = "Slider"),
        new("questions[0].text.ja over 300 characters", "questions[0].text.ja", b => b["questions"]![0]!["text"]!["ja"] = new string('あ', 301)),
        new("questions[0].required \"yes\"", "questions[0].required", b => b["questions"]![0]!["required"] = "yes"),
        new("questions[0].options on a scale", "questions[0].options", b => b["questions"]![0]!["options"] = b["questions"]![1]!["options"]!.DeepClone()),
        new("questions[0].maxLength on a scale", "questions[0].maxLength", b => b["questions"]![0]!["maxLength"] = 100),
        new("questions[0].colour (no such field)", "questions[0].colour", b => b["questions"]![0]!["colour"] = "red"),
        new("questions[1].options with one option", "questions[1].options", b => b["questions"]![1]!["options"] = new JsonArray(b["questions"]![1]!["options"]![0]!.DeepClone())),
        new("questions[1].options with 13 options", "questions[1].options", b => b["questions"]![1]!["options"] = new JsonArray([.. Enumerable.Range(0, 13).Select(i => (JsonNode)new JsonObject
            { ["id"] = $"o{i}", ["text"] = new JsonObject { ["ja"] = "選択肢", ["en"] = "Option" } })])),
        new("questions[1].options[1].id repeats options[0]'s", "questions[1].options[1].id", b => b["questions"]![1]!["options"]![1]!["id"] = "pay"),
        new("questions[1].options[0].id with a hyphen", "questions[1].options[0].id", b => b["questions"]![1]!["options"]![0]!["id"] = "pay-rise"),
        new("questions[1].options[0].text.en over 100 characters", "questions[1].options[0].text.en", b => b["questions"]![1]!["options"]![0]!["text"]!["en"] = new string('x', 101)),
        new("questions[1].maxChoices above the options", "questions[1].maxChoices", b => b["questions"]![1]!["maxChoices"] = 4),
        new("questions[1].maxChoices 0", "questions[1].maxChoices", b => b["questions"]![1]!["maxChoices"] = 0),
        new("questions[1].maxChoices 1.5", "questions[1].maxChoices", b => b["questions"]![1]!["maxChoices"] = 1.5),
        new("questions[2].maxLength 5001", "questions[2].maxLength", b => b["questions"]![2]!["maxLength"] = 5001),
        new("questions[2].maxLength as text", "questions[2].maxLength", b => b["questions"]![2]!["maxLength"] = "200"),
        new("questions[2].showIf on a later question", "questions[2].showIf.question", b => b["questions"]![2]!["showIf"]!["question"] = "back"),
        new("questions[2].showIf on itself", "questions[2].showIf.question", b => b["questions"]![2]!["showIf"]!["question"] = "why"),
        new("questions[2].showIf.answers not the question's", "questions[2].showIf.answers", b => b["questions"]![2]!["showIf"]!["answers"] = new JsonArray("11")),
        new("questions[2].showIf.answers empty", "questions[2].showIf.answers", b => b["questions"]![2]!["showIf"]!["answers"] = new JsonArray()),
        new("questions[3].showIf on free text", "questions[3].showIf.question", b => b["questions"]![3]!["showIf"] = new JsonObject { ["question"] = "why", ["answers"] = new JsonArray("x") }),
        new("lifecycle.waves[0].days 0", "lifecycle.waves[0].days", b => b["lifecycle"]!["waves"]![0]!["days"] = 0),
        new("lifecycle.waves[0] in the quiet period", "lifecycle.waves[0]", b => b["lifecycle"]!["waves"]![0]!["days"] = 1),
        new("lifecycle.waves[0] with days and months", "lifecycle.waves[0]", b => b["lifecycle"]!["waves"]![0]!["months"] = 6),
        new("lifecycle.waves[0] with neither", "lifecycle.waves[0]", b => b["lifecycle"]!["waves"]![0] = new JsonObject()),
        new("lifecycle.waves[1] before waves[0]", "lifecycle.waves[1]", b => b["lifecycle"]!["waves"]!.AsArray().Add(new JsonObject { ["days"] = 60 })),
        new("lifecycle.waves[0].months 121", "lifecycle.waves[0].months", b => b["lifecycle"]!["waves"]![0] = new JsonObject { ["months"] = 121 }),
        new("lifecycle.repeatEveryMonths 61", "lifecycle.repeatEveryMonths", b => b["lifecycle"]!["repeatEveryMonths"] = 61),
        new("lifecycle.repeatEveryMonths without a wave", "lifecycle.repeatEveryMonths", b => b["lifecycle"]!["waves"] = new JsonArray()),
        new("reminderAfterDays 0", "reminderAfterDays", b => b["reminderAfterDays"] = 0),
        new("reminderAfterDays 61", "reminderAfterDays", b => b["reminderAfterDays"] = 61),
        new("reminderAfterDays as text", "reminderAfterDays", b => b["reminderAfterDays"] = "7"),
        new("minimumGroupSize 4 (below the lowest)", "minimumGroupSize", b => b["minimumGroupSize"] = 4),
        new("minimumGroupSize 101", "minimumGroupSize", b => b["minimumGroupSize"] = 101),
        new("closesAt in the past", "closesAt", b => b["closesAt"] = "2020-01-01T00:00:00+09:00"),
        new("closesAt on 30 February", "closesAt", b => b["closesAt"] = "2030-02-30T00:00:00+09:00"),
        new("closesAt as a date only", "closesAt", b => b["closesAt"] = "2030-12-31"),
        new("closesAt without an offset", "closesAt", b => b["closesAt"] = "2030-12-31T23:59:00"),
        new("closesAt as a number", "closesAt", b => b["closesAt"] = 1_900_000_000),
        new("owner (no such field)", "owner", b => b["owner"] = "someone"),
    ];

    /// <summary>An ad-hoc wave: a short lower-case name and an optional audience.</summary>
    private static BadBody[] WaveBodies =>
    [
        new("name missing", "name", b => b.Remove("name")),
        new("name empty", "name", b => b["name"] = ""),
        new("name in capitals", "name", b => b["name"] = "Hostile"),
        new("name over 10 characters", "name", b => b["name"] = "hostilewave"),
        new("name with a hyphen", "name", b => b["name"] = "spring-27"),
        new("name as a number", "name", b => b["name"] = 27),
        new("audience as a list", "audience", b => b["audience"] = new JsonArray()),
        new("audience.salaryBand (no such segment field)", "audience.salaryBand", b => b["audience"] = new JsonObject { ["salaryBand"] = "A" }),
        new("audience.departedFromYear 1899", "audience.departedFromYear", b => b["audience"] = new JsonObject { ["departedFromYear"] = 1899 }),
        new("audience.departedToYear before departedFromYear", "audience.departedToYear", b => b["audience"] = new JsonObject { ["departedFromYear"] = 2020, ["departedToYear"] = 2019 }),
        new("audience.lastWorkingDayFrom on 30 February", "audience.lastWorkingDayFrom", b => b["audience"] = new JsonObject { ["lastWorkingDayFrom"] = "2026-02-30" }),
        new("audience.lastWorkingDayFrom 0001-01-01", "audience.lastWorkingDayFrom", b => b["audience"] = new JsonObject { ["lastWorkingDayFrom"] = "0001-01-01" }),
        new("audience.lastWorkingDayTo 9999-12-31", "audience.lastWorkingDayTo", b => b["audience"] = new JsonObject { ["lastWorkingDayTo"] = "9999-12-31" }),
        new("audience.reasons[0] unknown", "audience.reasons[0]", b => b["audience"] = new JsonObject { ["reasons"] = new JsonArray("Fired") }),
        new("audience.departments[0] over 100 characters", "audience.departments[0]", b => b["audience"] = new JsonObject { ["departments"] = new JsonArray(new string('x', 101)) }),
        new("campaignId (no such field)", "campaignId", b => b["campaignId"] = "survey-x"),
        new("audience other than the one the wave of this name was started with", "audience", b =>
        {
            b["name"] = HostileSuiteFixture.StartedWave;
            b["audience"] = new JsonObject { ["departedFromYear"] = 2020 };
        }, 409),
    ];

    /// <summary>The opening rules (OpeningDraft), each broken alone in the seeds' short-term project (start in 30 days, end in 210).</summary>
    private static BadBody[] OpeningBodies =>
    [
        new("title missing", "title", b => b.Remove("title")),
        new("title.en over 200 characters", "title.en", b => b["title"]!["en"] = new string('x', 201)),
        new("title.ja on two lines", "title.ja", b => b["title"]!["ja"] = "リスク管理\nプロジェクト"),
        new("title.en with a right-to-left override", "title.en", b => b["title"]!["en"] = "Risk \u202Etcejorp"),
        new("title with a third language", "title", b => b["title"]!["fr"] = "Projet"),
        new("title as text", "title", b => b["title"] = "Risk project"),
        new("description.ja over 5000 characters", "description.ja", b => b["description"]!["ja"] = new string('あ', 5001)),
        new("description.en missing", "description.en", b => b["description"]!.AsObject().Remove("en")),
        new("description.en with a right-to-left override", "description.en", b => b["description"]!["en"] = "A six-month \u202Etcejorp\nThree days a week."),
        new("description.ja with a line separator", "description.ja", b => b["description"]!["ja"] = "半年間の\u2028プロジェクトです。"),
        new("kind missing", "kind", b => b.Remove("kind")),
        new("kind unknown", "kind", b => b["kind"] = "Internship"),
        new("kind in lower case", "kind", b => b["kind"] = "shorttermproject"),
        new("kind as a number", "kind", b => b["kind"] = 0),
        new("department over 200 characters", "department", b => b["department"] = new string('x', 201)),
        new("department with a tab", "department", b => b["department"] = "Retail\tBanking"),
        new("location missing, not remote", "location", b => b.Remove("location")),
        new("remote \"yes\"", "remote", b => b["remote"] = "yes"),
        new("skills as text", "skills", b => b["skills"] = "Python"),
        new("21 skills", "skills", b => b["skills"] = new JsonArray([.. Enumerable.Range(0, 21).Select(i => (JsonNode)$"skill{i}")])),
        new("skills[1] over 50 characters", "skills[1]", b => b["skills"]![1] = new string('x', 51)),
        new("skills[1] as a number", "skills[1]", b => b["skills"]![1] = 7),
        new("start on 30 February", "start", b => b["start"] = "2027-02-30"),
        new("start day/month/year", "start", b => b["start"] = "30/04/2027"),
        new("start with a time", "start", b => b["start"] = OpeningSeeds.Day(30) + "T09:00"),
        new("end before start", "end", b => b["end"] = OpeningSeeds.Day(29)),
        new("end missing for a short-term project", "end", b => b.Remove("end")),
        new("end for a comeback opening", "end", b => b["kind"] = "Comeback"),
        new("recruiterMailbox missing", "recruiterMailbox", b => b.Remove("recruiterMailbox")),
        new("recruiterMailbox malformed", "recruiterMailbox", b => b["recruiterMailbox"] = "careers.example.com"),
        new("recruiterMailbox a private address", "recruiterMailbox", b => b["recruiterMailbox"] = "someone@gmail.com"),
        new("recruiterMailbox at a look-alike domain", "recruiterMailbox", b => b["recruiterMailbox"] = "careers@notexample.com"),
        new("recruiterMailbox with a display name", "recruiterMailbox", b => b["recruiterMailbox"] = "Careers <careers@example.com>"),
        new("recruiterMailbox with a header injected", "recruiterMailbox", b => b["recruiterMailbox"] = "careers@example.com\r\nBcc: someone@example.net"),
        new("confidentiality unknown", "confidentiality", b => b["confidentiality"] = "Secret"),
        new("status unknown", "status", b => b["status"] = "Archived"),
        new("Title (a field in another case)", "Title", b => b["Title"] = b["title"]!.DeepClone()),
        new("salary (no such field)", "$", b => b["salary"] = 1),
    ];

    /// <summary>
    /// A request to the member (listed for employees, agreeing to requests) from a work address at the company's mail
    /// domain, the sender's (SendGrid:FromEmail alumni@example.com in the tests).
    /// </summary>
    private static string CollaborationRequestBody => new JsonObject
    {
        ["alumnusId"] = HostileContext.MemberPlaceholder,
        ["requesterKind"] = "Employee",
        ["requesterName"] = "佐藤 一郎",
        ["requesterDepartment"] = "法人営業部",
        ["requesterEmail"] = "sato.ichiro@example.com",
        ["reason"] = "決済分野での共同提案をご相談したく、ご連絡しました。\nPayments partnership.",
        ["confidentiality"] = "Normal",
    }.ToJsonString();

    /// <summary>The collaboration request rules (RequestCollaboration.Parse), each broken alone.</summary>
    private static BadBody[] CollaborationRequestBodies =>
    [
        new("alumnusId missing", "alumnusId", b => b.Remove("alumnusId")),
        new("alumnusId in capitals", "alumnusId", b => b["alumnusId"] = new string('A', 32)),
        new("alumnusId of 31 characters", "alumnusId", b => b["alumnusId"] = new string('a', 31)),
        new("alumnusId as a number", "alumnusId", b => b["alumnusId"] = 12345),
        new("requesterKind unknown", "requesterKind", b => b["requesterKind"] = "Manager"),
        new("requesterKind in lower case", "requesterKind", b => b["requesterKind"] = "employee"),
        new("requesterKind as a number", "requesterKind", b => b["requesterKind"] = 0),
        new("requesterName missing", "requesterName", b => b.Remove("requesterName")),
        new("requesterName blank", "requesterName", b => b["requesterName"] = "   "),
        new("requesterName over 200 characters", "requesterName", b => b["requesterName"] = new string('佐', 201)),
        new("requesterName on two lines", "requesterName", b => b["requesterName"] = "佐藤\n一郎"),
        new("requesterName with a bell", "requesterName", b => b["requesterName"] = "佐藤\u0007一郎"),
        new("requesterDepartment over 200 characters", "requesterDepartment", b => b["requesterDepartment"] = new string('x', 201)),
        new("requesterDepartment with a tab", "requesterDepartment", b => b["requesterDepartment"] = "法人\t営業部"),
        new("requesterDepartment as a number", "requesterDepartment", b => b["requesterDepartment"] = 7),
        new("requesterEmail missing", "requesterEmail", b => b.Remove("requesterEmail")),
        new("requesterEmail malformed", "requesterEmail", b => b["requesterEmail"] = "sato.example.com"),
        new("requesterEmail with two @", "requesterEmail", b => b["requesterEmail"] = "sato@corp@example.com"),
        new("requesterEmail with a display name", "requesterEmail", b => b["requesterEmail"] = "Sato <sato.ichiro@example.com>"),
        new("requesterEmail with a header injected", "requesterEmail", b => b["requesterEmail"] = "sato.ichiro@example.com\r\nBcc: someone@example.net"),
        new("requesterEmail over 254 characters", "requesterEmail", b => b["requesterEmail"] = new string('x', 250) + "@example.com"),
        new("requesterEmail as a number", "requesterEmail", b => b["requesterEmail"] = 7),
        new("reason missing", "reason", b => b.Remove("reason")),
        new("reason blank", "reason", b => b["reason"] = "\n \n"),
        new("reason over the limit", "reason", b => b["reason"] = new string('x', Core.Collaboration.RequestCollaboration.MaxReasonLength + 1)),
        new("reason with a NUL", "reason", b => b["reason"] = "決済分野\u0000での提案"),
        new("reason with a right-to-left override", "reason", b => b["reason"] = "決済分野での\u202E案提同共"),
        new("reason with a line separator", "reason", b => b["reason"] = "決済分野\u2028共同提案"),
        new("confidentiality missing", "confidentiality", b => b.Remove("confidentiality")),
        new("confidentiality unknown", "confidentiality", b => b["confidentiality"] = "Secret"),
        new("confidentiality null", "confidentiality", b => b["confidentiality"] = null),
        new("AlumnusId (a field in another case)", "AlumnusId", b => b["AlumnusId"] = HostileContext.MemberPlaceholder),
        new("cc (no such field)", "$", b => b["cc"] = "someone@example.net"),
    ];

    /// <summary>The results filters: a published version, a wave of it (well formed is not enough), and a cohort given by both its dimension and value.</summary>
    private static string[] ResultsQueries =>
    [
        "version=0", "version=abc", "version=1000", "version=-1", "version=1.0", "version=%EF%BC%91", "version=2",
        "by=Salary&value=1", "by=department&value=x", "by=Department", "by=Department&value=", "value=Sales",
        "wave=W01", "wave=w1", "wave=a", "wave=w001", "wave=a" + new string('x', 11), "wave=w01%00", "wave=w07", "wave=aspring27",
        "by=Department&value=" + new string('x', 101), "by=Department&value=%07",
    ];

    /// <summary>The body's local time <paramref name="field"/> moved by <paramref name="hours"/>, in the same format.</summary>
    private static string Shift(JsonObject body, string field, int hours) =>
        DateTime.ParseExact(body[field]!.GetValue<string>(), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture).AddHours(hours)
            .ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static BadField[] PurposeValues =>
    [
        new("purpose", "1", 400, Answer.Problem),
        new("purpose", "-1", 400, Answer.Problem),
        new("purpose", "Newsletter,Events", 400, Answer.Problem),
        new("purpose", "newsletter", 400, Answer.Problem),
        new("purpose", "Unknown", 400, Answer.Problem),
        new("purpose", "", 400, Answer.Problem),
        new("purpose", "%ED%A0%80", 400, Answer.Problem, Encoded: true),
        new("purpose", "%FF%FE", 400, Answer.Problem, Encoded: true),
    ];

    /// <summary>A form action other than the page's buttons and the privacy-link requests: never taken as a save.</summary>
    private static BadField[] PreferencesActions =>
    [
        new("action", "", 400, Answer.Problem),
        new("action", "Save", 400, Answer.Problem),
        new("action", "delete", 400, Answer.Problem),
        new("action", "save,unsubscribe-all", 400, Answer.Problem),
        new("action", "%FF%FE", 400, Answer.Problem, Encoded: true),
    ];

    private static BadField[] ProfileValues =>
    [
        new("OpenToReturning", "1", 400, Answer.Page),
        new("OpenToReturning", "FullTime,No", 400, Answer.Page),
        new("OpenToReturning", "Maybe", 400, Answer.Page),
        new("CurrentEmployer.visibility", "2", 400, Answer.Page),
        new("Skills.visibility", "Private, Alumni", 400, Answer.Page),
        new("Skills.visibility", "Everyone", 400, Answer.Page),
        new("CurrentEmployer", new string('x', 201), 400, Answer.Page),
        new("CareerSinceLeaving", new string('あ', 2001), 400, Answer.Page),
        new("Location", "Tokyo\u0007", 400, Answer.Page),
        new("Interests", "%FF%FE%07", 400, Answer.Page, Encoded: true),
        new("Skills", "C#\u0000", 400, Answer.Problem),
    ];

    private static BadField[] ChoiceValues =>
    [
        new("choice", "maybe", 400, Answer.Page),
        new("choice", "1", 400, Answer.Page),
        new("choice", "Attend", 400, Answer.Page),
        new("choice", "attend,decline", 400, Answer.Page),
        new("choice", "%FF%FE", 400, Answer.Page, Encoded: true),
    ];

    private static BadField[] SurveyValues =>
    [
        new("score", "11", 400, Answer.Page, InQuery: true),
        new("score", "-1", 400, Answer.Page, InQuery: true),
        new("score", "abc", 400, Answer.Page, InQuery: true),
        new("score", "9.5", 400, Answer.Page, InQuery: true),
        new("score", "１０", 400, Answer.Page, InQuery: true),
        new("score", "%FF%FE", 400, Answer.Page, InQuery: true, Encoded: true),
        new("q-recommend", "11", 400, Answer.Page),
        new("q-recommend", "%FF%FE", 400, Answer.Page, Encoded: true),
        new("q-topics", "salary", 400, Answer.Page),
        new("q-back", "Maybe", 400, Answer.Page),
        new("q-why", new string('x', 201), 400, Answer.Page),
        new("q-salary", "1", 400, Answer.Page),
        new("q-recommend", "7\u0000", 400, Answer.Problem),
    ];

    private static BadField[] InterestValues =>
    [
        new("choice", "maybe", 400, Answer.Page),
        new("choice", "Interest", 400, Answer.Page),
        new("choice", "interest,withdraw", 400, Answer.Page),
        new("choice", "%FF%FE", 400, Answer.Page, Encoded: true),
        new("note", new string('x', 1001) + "&choice=interest", 400, Answer.Page, Encoded: true),
        new("note", "bell%07&choice=interest", 400, Answer.Page, Encoded: true),
        new("opening", "not-hex-00000000000000000000000z&choice=interest", 404, Answer.Page, Encoded: true),
        new("opening", "00000000000000000000000000000000&choice=interest", 404, Answer.Page, Encoded: true),
        new("opening", "&choice=withdraw", 404, Answer.Page, Encoded: true),
    ];

    private static string[] RehireQueries =>
    [
        "from=garbage", "to=garbage", "from=2026-02-30", "from=0001-01-01", "to=9999-12-31", "from=2027-02-01&to=2027-01-01",
        "from=2000-01-01&to=2026-01-01", "from=2026-11-30T00:00:00Z", "to=%FF%FE", "from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01",
    ];

    /// <summary>Each bad value sent with an otherwise valid card, so the value is the only fault.</summary>
    private static BadField[] CardValues =>
    [
        Card("Industry", "Unknown"),
        Card("Industry", "1"),
        Card("Industry", "Finance,Retail"),
        Card("VisibleToMembers", "true"),
        Card("VisibleToMembers", "Yes"),
        Card("Company", new string('x', 201)),
        Card("Company", "   "),
        Card("Offer", new string('あ', 1001)),
        Card("Location", "Tokyo\u0007"),
        Card("action", "delete"),
    ];

    private static BadField Card(string field, string value)
    {
        var valid = new Dictionary<string, string> { ["Company"] = "Yamada Trading", ["Offer"] = "Payments", ["Industry"] = "Finance", ["VisibleToMembers"] = "yes" };
        var rest = string.Join("&", valid.Where(f => f.Key != field).Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
        return new BadField(field, $"{Uri.EscapeDataString(value)}&{rest}", 400, Answer.Page, Encoded: true);
    }

    private static BadField[] DirectoryValues =>
    [
        new("industry", "Unknown", 400, Answer.Page, InQuery: true),
        new("industry", "1", 400, Answer.Page, InQuery: true),
        new("industry", "finance", 400, Answer.Page, InQuery: true),
        new("skills", new string('x', 101), 400, Answer.Page, InQuery: true),
        new("offer", "%07", 400, Answer.Page, InQuery: true, Encoded: true),
        new("location", "Tokyo%00", 400, Answer.Page, InQuery: true, Encoded: true),
    ];

    private static BadField[] AnswerValues =>
    [
        new("choice", "maybe", 400, Answer.Page),
        new("choice", "1", 400, Answer.Page),
        new("choice", "Accept", 400, Answer.Page),
        new("choice", "accept,decline", 400, Answer.Page),
        new("choice", "%FF%FE", 400, Answer.Page, Encoded: true),
    ];

    private static BadField[] CategoryValues =>
    [
        new("category", "1", 400, Answer.Page, InQuery: true),
        new("category", "Newsletter,Events", 400, Answer.Page, InQuery: true),
        new("category", "NetworkMembership", 400, Answer.Page, InQuery: true),
        new("category", "DirectoryVisibility", 400, Answer.Page, InQuery: true),
        new("category", "news letter", 400, Answer.Page, InQuery: true),
        new("category", "1", 400, Answer.Page),
        new("category", "Unknown", 400, Answer.Page),

        // Genuine categories the link (signed for every email) was not issued for: tampering, not a typo.
        new("category", "Events", 400, Answer.Page, InQuery: true),
        new("category", "Newsletter", 400, Answer.Page),
    ];

    /// <summary>A search with every criterion, each valid.</summary>
    private const string SearchBody = """{"q": "hostile", "department": "Markets", "status": "Joined", "consent": "Newsletter", "page": 1}""";

    /// <summary>The search criteria's rules, each broken alone in a body that searches with every criterion.</summary>
    private static BadBody[] SearchBodies =>
    [
        new("q over 200 characters", "q", b => b["q"] = new string('x', 201)),
        new("q as a number", "q", b => b["q"] = 7),
        new("q as a list", "q", b => b["q"] = new JsonArray("山田")),
        new("department over 200 characters", "department", b => b["department"] = new string('x', 201)),
        new("department as an object", "department", b => b["department"] = new JsonObject()),
        new("status unknown", "status", b => b["status"] = "Erased"),
        new("status as a number", "status", b => b["status"] = 1),
        new("status two at once", "status", b => b["status"] = "Joined,Invited"),
        new("consent unknown", "consent", b => b["consent"] = "everything"),
        new("consent as a number", "consent", b => b["consent"] = 0),
        new("page 0", "page", b => b["page"] = 0),
        new("page -1", "page", b => b["page"] = -1),
        new("page 10001", "page", b => b["page"] = 10_001),
        new("page 1.5", "page", b => b["page"] = 1.5),
        new("page as text", "page", b => b["page"] = "2"),
        new("page as true", "page", b => b["page"] = true),
        new("page beyond any integer", "page", b => b["page"] = 1e30),
        new("email (not a criterion)", "$", b => b["email"] = "hanako@example.net"),
        new("Q (a criterion's name in another case)", "Q", b => b["Q"] = "hanako"),
    ];

    private static string[] SearchQueries =>
    [
        "q=hanako", "q=", "q=%E5%B1%B1%E7%94%B0&status=Joined", "Q=hanako%40example.net",
        "status=1", "status=-1", "status=Unknown", "status=Joined,Invited", "consent=0", "consent=everything", "consent=Newsletter,Events",
        "page=0", "page=-1", "page=10001", "page=abc", "page=1.5", "page=%EF%BC%91", "page=99999999999999999999",
        "q=" + new string('x', 201), "department=" + new string('x', 201),
    ];

    private static string[] AuditQueries =>
    [
        "from=garbage", "to=garbage", "from=2026-02-30", "from=0001-01-01", "from=0001-01-01&to=0001-01-02", "to=0001-01-03",
        "to=9999-12-31T23:59:59Z", "from=9999-12-30&to=9999-12-31", "from=1899-12-31&to=1900-01-02",
        "from=2026-11-30&to=2026-11-01", "from=2024-01-01&to=2026-01-01",
        "limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=1e3", "limit=%00",
        "from=2026-11-30T09:00:00%2B25:00", "from=%FF%FE",
        "actor=" + new string('x', Core.Admin.QueryAuditLog.MaxFilterLength + 1), "action=" + new string('x', Core.Admin.QueryAuditLog.MaxFilterLength + 1),
        "cursor=garbled", "cursor=%00", "cursor=%FF%FE", "cursor=MDYzOTAwMTIzNDU2Nzg5MDAwMC4wMTIz", "cursor=" + new string('A', 1000),
        "cursor=" + new Core.Audit.AuditCursor(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new string('a', 32)).Encode(),
    ];
}

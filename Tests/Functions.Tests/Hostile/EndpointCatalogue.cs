using System.Globalization;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>What kind of endpoint an HTTP function is: it decides which bad requests the suite generates for it.</summary>
public abstract record EndpointKind;

/// <summary>A JSON webhook signed with Standard Webhooks (the HR system).</summary>
public sealed record HrisWebhook : EndpointKind;

/// <summary>SendGrid's signed Event Webhook.</summary>
public sealed record SendGridWebhook : EndpointKind;

/// <summary>
/// An alumni page behind a signed link. <paramref name="FormPost"/>: POST is a same-origin form carrying the token
/// (else the token stays in the query, as for the one-click unsubscribe). <paramref name="BadFields"/>: form or query
/// values that must be refused even with a valid token, and how.
/// </summary>
public sealed record AlumniPageEndpoint(LinkPurpose Purpose, bool FormPost, IReadOnlyList<BadField> BadFields) : EndpointKind;

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
public sealed record AdminEndpoint(
    IReadOnlyList<string> BadQueries, bool JsonBody = false, int MaxBodyBytes = 0, string ValidBody = """{"doNotContact":true}""",
    Target Target = Target.Member, IReadOnlyList<BadBody>? BadBodies = null) : EndpointKind;

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
}

/// <summary>
/// The endpoint's valid body with one field broken by <paramref name="Break"/>: refused with 400, a problem whose
/// <c>errors</c> name <paramref name="Field"/>, and nothing changed.
/// </summary>
/// <param name="Defect">A known defect lets this body through: the case is skipped, with this reason, until it is fixed.</param>
public sealed record BadBody(string What, string Field, Action<JsonObject> Break, string? Defect = null);

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
        ["Health"] = new PublicEndpoint(),
        ["AdminApiDocument"] = new PublicEndpoint(),

        // The console's own forms, sessions and roles are attacked by its tests (Console/*); here its methods.
        ["AdminConsole"] = new PublicEndpoint(),
        ["SendGridEvents"] = new SendGridWebhook(),
        ["JoinNetwork"] = new AlumniPageEndpoint(LinkPurpose.Join, FormPost: true, PurposeValues),
        ["ManagePreferences"] = new AlumniPageEndpoint(LinkPurpose.Preferences, FormPost: true, PurposeValues),
        ["EditProfile"] = new AlumniPageEndpoint(LinkPurpose.Profile, FormPost: true, ProfileValues),
        ["ExportMyData"] = new AlumniPageEndpoint(LinkPurpose.Export, FormPost: true, []),
        ["EraseMyData"] = new AlumniPageEndpoint(LinkPurpose.Erase, FormPost: true, []),
        ["Unsubscribe"] = new AlumniPageEndpoint(LinkPurpose.Unsubscribe, FormPost: false, CategoryValues),
        ["GetAlumnus"] = new AdminEndpoint([]),
        ["SearchAlumni"] = new AdminEndpoint(SearchQueries),
        ["SetAlumnusFlags"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.SetAlumnusFlags.SetAlumnusFlagsFunction.MaxBodyBytes),
        ["ExportAlumniCsv"] = new AdminEndpoint([]),
        ["QueryAuditLog"] = new AdminEndpoint(AuditQueries),
        ["ListDeadLetters"] = new AdminEndpoint(["queue=unknown-queue", "limit=0", "limit=1001", "limit=abc"]),
        ["RedriveDeadLetters"] = new AdminEndpoint(["limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=1e3", "limit=1.5", "limit=%00", "limit=%EF%BC%91"],
            Target: Target.CampaignBatches),
        ["ListFailedWork"] = new AdminEndpoint(["kind=unknown", "limit=0", "limit=abc"]),
        ["RetryFailedWork"] = new AdminEndpoint(["kind=unknown", "limit=0", "limit=abc"]),
        ["ListCampaigns"] = new AdminEndpoint([]),
        ["GetCampaign"] = new AdminEndpoint([], Target: Target.Campaign),
        ["CreateNewsItem"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateNewsItem.CreateNewsItemFunction.MaxBodyBytes, ValidBody: Newsletters.NewsletterAdminTests.Item,
            BadBodies: NewsBodies),
        ["ListNewsItems"] = new AdminEndpoint([]),
        ["ReplaceNewsItem"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateNewsItem.CreateNewsItemFunction.MaxBodyBytes, ValidBody: Newsletters.NewsletterAdminTests.Item,
            Target: Target.NewsItem, BadBodies: NewsBodies),
        ["DeleteNewsItem"] = new AdminEndpoint([], Target: Target.NewsItem),
        ["PreviewNewsletter"] = new AdminEndpoint(["locale=fr-FR", "locale=ja", "locale=%FF"]),
        ["SendNewsletterTest"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.SendNewsletterTest.SendNewsletterTestFunction.MaxBodyBytes,
            ValidBody: """{"email": "editor@corp.example.com", "locale": "en-US"}""", BadBodies: TestSendBodies),
        ["CreateEvent"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateEvent.EventBodies.MaxBytes, ValidBody: EventSeeds.Body(), BadBodies: EventBodies),
        ["GetEvent"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["UpdateEvent"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateEvent.EventBodies.MaxBytes, ValidBody: EventSeeds.Body(),
            Target: Target.DraftEvent, BadBodies: EventBodies),
        ["PublishEvent"] = new AdminEndpoint([], Target: Target.DraftEvent),
        ["CancelEvent"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["ListEventAttendees"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["ExportEventCheckIn"] = new AdminEndpoint([], Target: Target.PublishedEvent),
        ["MarkEventAttendance"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.MarkEventAttendance.MarkEventAttendanceFunction.MaxBodyBytes, ValidBody: """{"attended": true}""",
            Target: Target.PublishedEvent, BadBodies: AttendanceBodies),
        ["InviteEventStaff"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.InviteEventStaff.InviteEventStaffFunction.MaxBodyBytes,
            ValidBody: """{"addresses": ["colleague@corp.example.com", "organiser@corp.example.com"]}""", Target: Target.PublishedEvent, BadBodies: InvitationBodies),
        ["RespondToEvent"] = new AlumniPageEndpoint(LinkPurpose.Rsvp, FormPost: true, ChoiceValues),
        ["CreateSurvey"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateSurvey.CreateSurveyFunction.MaxBodyBytes, ValidBody: SurveySeeds.Body()),
        ["ListSurveys"] = new AdminEndpoint([]),
        ["GetSurvey"] = new AdminEndpoint([]),
        ["EditSurvey"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateSurvey.CreateSurveyFunction.MaxBodyBytes, ValidBody: SurveySeeds.Body()),
        ["PublishSurvey"] = new AdminEndpoint([]),
        ["CloseSurvey"] = new AdminEndpoint([]),
        ["StartSurveyWave"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.StartSurveyWave.StartSurveyWaveFunction.MaxBodyBytes, ValidBody: """{"name": "hostile"}"""),
        ["GetSurveyResults"] = new AdminEndpoint(["version=0", "version=abc", "version=1000", "by=Salary&value=1", "by=department&value=x", "by=Department", "value=Sales",
            "wave=W01", "wave=w1", "by=Department&value=" + new string('x', 101), "by=Department&value=%07"]),
        ["AnswerSurvey"] = new AlumniPageEndpoint(LinkPurpose.Survey, FormPost: true, SurveyValues),
        ["CreateOpening"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateOpening.CreateOpeningFunction.MaxBodyBytes, ValidBody: OpeningSeeds.Body()),
        ["ListOpenings"] = new AdminEndpoint([]),
        ["GetOpening"] = new AdminEndpoint([]),
        ["UpdateOpening"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.CreateOpening.CreateOpeningFunction.MaxBodyBytes, ValidBody: OpeningSeeds.Body()),
        ["ListOpeningMatches"] = new AdminEndpoint([]),
        ["SendOpening"] = new AdminEndpoint([]),
        ["ListOpeningInterests"] = new AdminEndpoint([]),
        ["ListRehires"] = new AdminEndpoint(RehireQueries),
        ["BrowseOpenings"] = new AlumniPageEndpoint(LinkPurpose.Openings, FormPost: true, InterestValues),
        ["PublishCollaborationCard"] = new AlumniPageEndpoint(LinkPurpose.CollaborationCard, FormPost: true, CardValues),
        ["BrowseCollaborationDirectory"] = new AlumniPageEndpoint(LinkPurpose.CollaborationDirectory, FormPost: false, DirectoryValues),
        ["AnswerCollaborationRequest"] = new AlumniPageEndpoint(LinkPurpose.CollaborationAnswer, FormPost: true, AnswerValues),
        ["RequestCollaboration"] = new AdminEndpoint([], JsonBody: true, MaxBodyBytes: Functions.RequestCollaboration.RequestCollaborationFunction.MaxBodyBytes,
            ValidBody: CollaborationSeeds.RequestBody(Core.Alumni.AlumnusId.Parse(new string('0', 32)))),
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
        new("start as a date only", "start", b => b["start"] = Shift(b, "start", hours: 0)[..10]),
        new("start with an offset", "start", b => b["start"] = Shift(b, "start", hours: 0) + "+09:00"),
        new("start in UTC", "start", b => b["start"] = Shift(b, "start", hours: 0) + "Z"),
        new("start day/month/year", "start", b => b["start"] = "10/02/2027 19:00"),
        new("start on 30 February", "start", b => b["start"] = "2027-02-30T19:00"),
        new("start as a number", "start", b => b["start"] = 1_800_000_000),
        new("start in the past", "start", b => b["start"] = EventSeeds.Local(TimeProvider.System.GetUtcNow().AddDays(-1))),
        new("end not a time", "end", b => b["end"] = "tomorrow"),
        new("registrationDeadline with a space", "registrationDeadline", b => b["registrationDeadline"] = Shift(b, "registrationDeadline", hours: 0).Replace('T', ' ')),
        new("timeZone unknown", "timeZone", b => b["timeZone"] = "Mars/Olympus_Mons"),
        new("kind unknown", "kind", b => b["kind"] = "Party"),
        new("onlineUrl javascript:", "onlineUrl", b => b["onlineUrl"] = "javascript:alert(1)"),
        new("title.en over 200 characters", "title.en", b => b["title"]!["en"] = new string('x', 201)),
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
        new("category", "1", 400, Answer.Problem, InQuery: true),
        new("category", "Newsletter,Events", 400, Answer.Problem, InQuery: true),
        new("category", "NetworkMembership", 400, Answer.Problem, InQuery: true),
        new("category", "DirectoryVisibility", 400, Answer.Problem, InQuery: true),
        new("category", "news letter", 400, Answer.Problem, InQuery: true),
        new("category", "1", 400, Answer.Problem),
        new("category", "Unknown", 400, Answer.Problem),
    ];

    private static string[] SearchQueries =>
    [
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
    ];
}

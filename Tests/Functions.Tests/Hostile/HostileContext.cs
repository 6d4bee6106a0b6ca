using System.Net.Http.Headers;
using System.Security.Claims;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>What a hostile case needs to send its request: the app, a joined alumnus, links, admin tokens, real records to aim at.</summary>
public sealed class HostileContext(TestApp app, AlumnusId member, string eventId, string surveyId, string collaborationRequestId, HostileTargets targets)
{
    /// <summary>The queue <see cref="Target.CampaignBatches"/> names: it holds a dead letter.</summary>
    public const string CampaignBatchesQueue = "campaign-batches";

    /// <summary>Stands for the member's id in a catalogue body (the id is only known once the fixture has made the member).</summary>
    public const string MemberPlaceholder = "__member__";

    public TestApp App => app;

    /// <summary>A joined alumnus with consents and a profile: valid links point at them.</summary>
    public AlumnusId Member => member;

    public async Task<Reply> SendAsync(HttpMethod method, string path, HttpContent? content = null, IEnumerable<(string Name, string Value)>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        foreach (var (name, value) in headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await app.Client.SendAsync(request);
        return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A request HttpClient would not send as written (broken chunked framing).</summary>
    public async Task<Reply> RawAsync(string method, string path, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        var response = await RawHttp.SendAsync(app.BaseAddress, RawHttp.Request(app.BaseAddress, method, path, headers, body), halfClose: false)
            ?? throw new InvalidOperationException("The server closed the connection without an answer.");
        return new Reply(response.Status, response.ContentType?.Split(';')[0].Trim(), response.Body);
    }

    public static ByteArrayContent Body(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    public static StringContent Form(string encoded) => new(encoded, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

    /// <summary>A collaboration request delivered to the member: its answer links are bound to it.</summary>
    public string CollaborationRequestId => collaborationRequestId;

    /// <summary>A published event the member may answer: RSVP links are bound to it.</summary>
    public string EventId => eventId;

    /// <summary>A published survey the member may answer: survey links are bound to its first wave.</summary>
    public string SurveyId => surveyId;

    public HostileTargets Targets => targets;

    /// <summary>The endpoint's path with its route parameters naming <paramref name="target"/> (an <c>{alumnusId}</c> is always the member).</summary>
    public string PathTo(Endpoint endpoint, Target target) => endpoint.Path(parameter => (parameter, target) switch
    {
        ("alumnusId", _) or (_, Target.Member) => member.Value,
        (_, Target.PublishedEvent) => eventId,
        (_, Target.DraftEvent) => targets.DraftEventId,
        (_, Target.NewsItem) => targets.NewsItemId,
        (_, Target.Campaign) => targets.CampaignId,
        (_, Target.CampaignBatches) => CampaignBatchesQueue,
        (_, Target.PublishedSurvey) => surveyId,
        (_, Target.DraftSurvey) => targets.DraftSurveyId,
        (_, Target.LastVersionSurvey) => targets.LastVersionSurveyId,
        (_, Target.EndedNewsItem) => targets.EndedNewsItemId,
        (_, Target.Opening) => targets.OpeningId,
        _ => throw new InvalidOperationException($"No record for {target}."),
    });

    /// <summary>
    /// A signed link token for the member (or <paramref name="id"/>), issued now or at <paramref name="issuedAt"/>; an RSVP
    /// token is bound to <see cref="EventId"/> and a survey token to <see cref="SurveyId"/>, as the emails' links are, and a
    /// collaboration answer token to <see cref="CollaborationRequestId"/>.
    /// </summary>
    public string LinkToken(LinkPurpose purpose, AlumnusId? id = null, DateTimeOffset? issuedAt = null) => (purpose, issuedAt) switch
    {
        (LinkPurpose.Rsvp, null) => app.RsvpToken(eventId, id ?? member),
        (LinkPurpose.Survey, null) => app.SurveyToken(surveyId, id ?? member),
        (LinkPurpose.CollaborationAnswer, null) => app.AnswerToken(id ?? member, collaborationRequestId),
        _ => app.Token(purpose, id ?? member, issuedAt),
    };

    /// <summary>
    /// An admin token as the Development issuer makes it, changed by <paramref name="change"/>; <paramref name="signingKey"/>
    /// replaces the development key, and <paramref name="withoutSignature"/> leaves the token without a signature (alg none).
    /// </summary>
    public string AdminToken(Action<SecurityTokenDescriptor>? change = null, byte[]? signingKey = null, bool withoutSignature = false, params Claim[] claims)
    {
        var options = app.Services.GetRequiredService<IConfiguration>().GetSection(AdminAuthOptions.SectionName).Get<AdminAuthOptions>()!;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AdminAuthentication.DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims.Length > 0 ? claims : [new Claim("sub", "hostile-admin"), new Claim("roles", options.Role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = withoutSignature ? null : new SigningCredentials(
                new SymmetricSecurityKey(signingKey ?? Convert.FromBase64String(options.DevelopmentSigningKey!)), SecurityAlgorithms.HmacSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A valid admin token.</summary>
    public string AdminToken() => AdminToken(change: null);

    /// <summary>A catalogue body as sent: <see cref="MemberPlaceholder"/> becomes the member's id.</summary>
    public byte[] Bind(string json) => System.Text.Encoding.UTF8.GetBytes(json.Replace(MemberPlaceholder, member.Value, StringComparison.Ordinal));
}

/// <summary>Records the fixture made for admin routes to name (see <see cref="Target"/>).</summary>
/// <param name="CampaignId">The published event's invitation campaign.</param>
/// <param name="OpeningId">An open opening, not yet sent.</param>
/// <param name="LastVersionSurveyId">A published survey at its last version.</param>
public sealed record HostileTargets(string DraftEventId, string NewsItemId, string CampaignId, string DraftSurveyId, string OpeningId, string LastVersionSurveyId, string EndedNewsItemId);

using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Support;

internal static class AlumniSeeds
{
    /// <summary>Records a departure through the webhook, as the HR system would, and returns the new alumnus id.</summary>
    public static async Task<AlumnusId> DepartAsync(this TestApp app, string locale = "ja-JP", string givenName = "花子", string familyName = "山田", string employeeId = "E12345", string lastWorkingDay = "2026-11-30")
    {
        var response = await app.PostSignedAsync(Departures.Body(employeeId: employeeId, locale: locale, givenName: givenName, familyName: familyName, lastWorkingDay: lastWorkingDay));
        response.EnsureSuccessStatusCode();
        return AlumnusId.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
    }

    /// <summary>
    /// The stored record, to issue its links: a link carries the address it was mailed to. For someone no longer held, a
    /// stand-in with the same id (their link is answered as gone before any address is compared).
    /// </summary>
    public static Alumnus Stored(this TestApp app, AlumnusId id) =>
        app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None).GetAwaiter().GetResult() ?? new Alumnus
        {
            Id = id, EmployeeId = "gone", GivenName = "-", FamilyName = "-", PersonalEmail = EmailAddress.Parse("gone@example.net"),
            LastWorkingDay = default, Reason = DepartureReason.Other, Locale = Locale.Japanese, WelcomeDueAt = default, RecordedAt = default,
        };

    public static string JoinPath(this TestApp app, AlumnusId id, DateTimeOffset? issuedAt = null) => app.PathFor(LinkPurpose.Join, id, issuedAt);

    /// <summary>The page path with a signed token of the given purpose, issued now or at <paramref name="issuedAt"/>.</summary>
    public static string PathFor(this TestApp app, LinkPurpose purpose, AlumnusId id, DateTimeOffset? issuedAt = null) =>
        $"{AlumniLinks.PathOf(purpose)}?token={Uri.EscapeDataString(app.Token(purpose, id, issuedAt))}";

    public static string Token(this TestApp app, LinkPurpose purpose, AlumnusId id, DateTimeOffset? issuedAt = null)
    {
        var links = issuedAt is null
            ? app.Services.GetRequiredService<LinkTokenService>()
            : new LinkTokenService(app.Services.GetRequiredService<IOptions<SignedLinkOptions>>(), new FakeTimeProvider(issuedAt.Value));
        // A refusal link is signed for its category; with no category, for every email (as the welcome invitation's).
        return links.Issue(purpose, app.Stored(id), purpose == LinkPurpose.Unsubscribe ? Core.Consent.ManageConsent.UnsubscribeScope(null) : null);
    }

    /// <summary>The refusal link of an email on <paramref name="category"/> (null: of every email), built as the mail's footer builds it.</summary>
    public static string UnsubscribePath(this TestApp app, AlumnusId id, Core.Consent.ConsentPurpose? category = null) =>
        new Uri(app.Services.GetRequiredService<Core.Outreach.PromotionalFooter>().Values(app.Stored(id), category)[Core.Outreach.PromotionalFooter.UnsubscribeKey]).PathAndQuery.TrimStart('/');

    /// <summary>Departs and joins with the given purposes, through the real join form.</summary>
    public static async Task<AlumnusId> MemberAsync(this TestApp app, string locale = "ja-JP", params string[] purposes)
    {
        var id = await app.DepartAsync(locale: locale);
        var form = new List<KeyValuePair<string, string>> { new("token", app.Token(LinkPurpose.Join, id)), new("membership", "yes") };
        form.AddRange(purposes.Select(p => KeyValuePair.Create("purpose", p)));
        (await app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent(form))).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>
    /// Leaves the alumnus as an erasure that stopped right after its first write does (do-not-contact, an empty consent
    /// projection, <see cref="Alumnus.ErasureStartedAt"/> set; the consent ledger and everything else still there).
    /// <c>SetAlumnusFlagsFunctionTests</c> shows a real erasure stopping there.
    /// </summary>
    public static async Task StopErasureAfterItsFirstWriteAsync(this TestApp app, AlumnusId id)
    {
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var row = (await store.GetAsync(id, CancellationToken.None))!;
        (row.DoNotContact, row.Consented, row.ErasureStartedAt) = (true, new HashSet<Core.Consent.ConsentPurpose>(), TimeProvider.System.GetUtcNow());
        Assert.True(await store.TryUpdateAsync(row, CancellationToken.None));
    }

    public static Task<HttpResponseMessage> PostFormAsync(this TestApp app, LinkPurpose purpose, AlumnusId id, params (string Key, string Value)[] fields) =>
        app.Client.PostAsync(AlumniLinks.PathOf(purpose),
            new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Prepend(KeyValuePair.Create("token", app.Token(purpose, id)))));
}

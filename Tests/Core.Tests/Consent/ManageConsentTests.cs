using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Consent;

public sealed class ManageConsentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> ledger = new();
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-30), AlumnusStatus.Joined);
    private readonly LinkTokenService tokens;
    private readonly List<ConsentRecord> appended = [];

    public ManageConsentTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        ledger.Setup(l => l.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()))
            .Callback((ConsentRecord r, CancellationToken _) => appended.Add(r)).Returns(Task.CompletedTask);
    }

    private ManageConsent Handler() => new(new SignedLinkAccess(tokens, alumni.Object), ledger.Object, time);

    /// <summary>The history the first read returns; later reads find the handler's appends after it.</summary>
    private void HistoryReads(params ConsentRecord[] history) => LedgerOf(history);

    private ConsentRecord Entry(ConsentPurpose purpose, bool granted) => new(alumnus.Id, purpose, granted, Now.AddDays(-1), ConsentMethod.Link, "v1");

    [Fact]
    public async Task CategoryRefusalLink_AppendsTheWithdrawal_EvenWhenItsSnapshotShowsThePurposeNotGranted()
    {
        HistoryReads(Entry(ConsentPurpose.NetworkMembership, true));
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(ConsentPurpose.Newsletter));

        var view = await Handler().UnsubscribeAsync(token, LinkPurpose.Unsubscribe, ConsentPurpose.Newsletter, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Valid, view.Access.Status);
        var withdrawal = Assert.Single(appended);
        Assert.Equal((ConsentPurpose.Newsletter, false, Now, ConsentWording.Unsubscribe), (withdrawal.Purpose, withdrawal.Granted, withdrawal.At, withdrawal.WordingVersion));
    }

    [Fact]
    public async Task RefuseAllLink_AppendsAWithdrawalOfEveryEmailPurposeNotRefusedYet_AndARepeatAppendsNothing()
    {
        HistoryReads(Entry(ConsentPurpose.Newsletter, false), Entry(ConsentPurpose.Events, true));
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(null));

        await Handler().RefuseAllAsync(token, CancellationToken.None);

        Assert.Equal(ConsentPurposes.Email.Where(p => p != ConsentPurpose.Newsletter), appended.Select(r => r.Purpose));
        Assert.All(appended, r => Assert.False(r.Granted));

        HistoryReads([.. ConsentPurposes.Email.Select(p => Entry(p, false))]);
        appended.Clear();
        await Handler().RefuseAllAsync(token, CancellationToken.None);

        Assert.Empty(appended);
    }

    [Fact]
    public async Task GrantAppendedBeforeTheRefusal_EndsWithdrawn()
    {
        var grant = Entry(ConsentPurpose.Events, true) with { At = Now.AddSeconds(-1) };
        HistoryReads();
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(ConsentPurpose.Events));

        await Handler().UnsubscribeAsync(token, LinkPurpose.Unsubscribe, ConsentPurpose.Events, CancellationToken.None);

        Assert.False(ConsentState.From([grant, .. appended]).Has(ConsentPurpose.Events));
    }

    /// <summary>
    /// A ledger in the order entries land: <paramref name="history"/>, then the handler's appends, and whatever
    /// <paramref name="afterRead"/> (given the read's number) or <paramref name="afterAppend"/> add from elsewhere.
    /// </summary>
    private void LedgerOf(ConsentRecord[] history, Action<int, List<ConsentRecord>>? afterRead = null, Action<List<ConsentRecord>>? afterAppend = null)
    {
        var rows = history.ToList();
        var reads = 0;
        ledger.Setup(l => l.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>())).Callback((ConsentRecord r, CancellationToken _) =>
        {
            appended.Add(r);
            rows.Add(r);
            afterAppend?.Invoke(rows);
        }).Returns(Task.CompletedTask);
        ledger.Setup(l => l.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            ConsentRecord[] read = [.. rows];
            afterRead?.Invoke(++reads, rows);
            return read;
        });
    }

    /// <summary>A grant given elsewhere (the join page, the preferences page) at the clock's time.</summary>
    private ConsentRecord GrantNow(ConsentPurpose purpose) => Entry(purpose, true) with { At = time.GetUtcNow() };

    [Fact]
    public async Task GrantLandingAfterTheReadOnAPurposeReadAsRefused_IsWithdrawnByTheRefuseAllLink()
    {
        // Newsletter is refused as read, so the link does not withdraw it again; a grant of it lands just after that read.
        LedgerOf([Entry(ConsentPurpose.Newsletter, false)], afterRead: (read, rows) =>
        {
            if (read == 1)
            {
                rows.Add(GrantNow(ConsentPurpose.Newsletter));
            }
        });
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(null));

        var view = await Handler().RefuseAllAsync(token, CancellationToken.None);

        Assert.Equal([.. ConsentPurposes.Email.Where(p => p != ConsentPurpose.Newsletter), ConsentPurpose.Newsletter], appended.Select(r => r.Purpose));
        Assert.All(appended, r => Assert.Equal((false, ConsentWording.Unsubscribe), (r.Granted, r.WordingVersion)));
        Assert.Equal(ConsentPurposes.Email.Count, view.Changed);
        Assert.All(ConsentPurposes.Email, p => Assert.True(view.State.IsRefused(p)));
    }

    [Fact]
    public async Task RepeatedCategoryRefusalAfterALaterGrantWasWithdrawn_AppendsNothing()
    {
        LedgerOf([Entry(ConsentPurpose.Events, false), Entry(ConsentPurpose.Events, true) with { At = Now.AddHours(-1) }, Entry(ConsentPurpose.Events, false) with { At = Now.AddMinutes(-1) }]);
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(ConsentPurpose.Events));

        var view = await Handler().UnsubscribeAsync(token, LinkPurpose.Unsubscribe, ConsentPurpose.Events, CancellationToken.None);

        Assert.Empty(appended);
        Assert.Equal((0, true), (view.Changed, view.State.IsRefused(ConsentPurpose.Events)));
    }

    [Fact]
    public async Task GrantLandingAfterEveryWithdrawal_StopsTheRefusalLinkAfterItsLastRound()
    {
        LedgerOf([], afterAppend: rows => rows.Add(GrantNow(ConsentPurpose.Events)));
        var token = tokens.Issue(LinkPurpose.Unsubscribe, alumnus, ManageConsent.UnsubscribeScope(ConsentPurpose.Events));

        var view = await Handler().UnsubscribeAsync(token, LinkPurpose.Unsubscribe, ConsentPurpose.Events, CancellationToken.None);

        Assert.Equal((ManageConsent.MaxRefusalRounds, ManageConsent.MaxRefusalRounds), (appended.Count, view.Changed));
        ledger.Verify(l => l.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(ManageConsent.MaxRefusalRounds + 1));
    }

    [Fact]
    public async Task PreferencesPageUnsubscribe_RefusesEveryEmailPurposeNotRefusedYet_AndARepeatAppendsNothing()
    {
        // Newsletter granted, Events refused, the other email purposes never given: each but Events gets its refusal on
        // record, so the welcome's "refused every email" check (SendWelcomeInvitation) sees the click.
        LedgerOf([Entry(ConsentPurpose.Newsletter, true), Entry(ConsentPurpose.Events, false)]);
        var token = tokens.Issue(LinkPurpose.Preferences, alumnus);

        var view = await Handler().UnsubscribeAsync(token, LinkPurpose.Preferences, category: null, CancellationToken.None);

        Assert.Equal(ConsentPurposes.Email.Where(p => p != ConsentPurpose.Events), appended.Select(r => r.Purpose));
        Assert.All(appended, r => Assert.Equal((false, ConsentMethod.Link, ConsentWording.Unsubscribe), (r.Granted, r.Method, r.WordingVersion)));
        Assert.All(ConsentPurposes.Email, p => Assert.True(view.State.IsRefused(p)));

        appended.Clear();
        var again = await Handler().UnsubscribeAsync(token, LinkPurpose.Preferences, category: null, CancellationToken.None);

        Assert.Empty(appended);
        Assert.Equal(0, again.Changed);
    }

    [Fact]
    public async Task PreferencesPageUnsubscribe_ByOneWhoNeverOptedIn_RecordsTheRefusalOfEveryEmailPurpose()
    {
        LedgerOf([]);

        var view = await Handler().UnsubscribeAsync(tokens.Issue(LinkPurpose.Preferences, alumnus), LinkPurpose.Preferences, category: null, CancellationToken.None);

        Assert.Equal(ConsentPurposes.Email, appended.Select(r => r.Purpose));
        Assert.Equal(ConsentPurposes.Email.Count, view.Changed);
        Assert.All(ConsentPurposes.Email, p => Assert.True(view.State.IsRefused(p)));
    }

    [Fact]
    public async Task GrantLandingAfterTheReadOnAPurposeReadAsRefused_IsWithdrawnByThePreferencesPageUnsubscribe()
    {
        LedgerOf([Entry(ConsentPurpose.Newsletter, false)], afterRead: (read, rows) =>
        {
            if (read == 1)
            {
                rows.Add(GrantNow(ConsentPurpose.Newsletter));
            }
        });

        var view = await Handler().UnsubscribeAsync(tokens.Issue(LinkPurpose.Preferences, alumnus), LinkPurpose.Preferences, category: null, CancellationToken.None);

        Assert.Equal(ConsentPurpose.Newsletter, appended[^1].Purpose);
        Assert.All(ConsentPurposes.Email, p => Assert.True(view.State.IsRefused(p)));
    }
}

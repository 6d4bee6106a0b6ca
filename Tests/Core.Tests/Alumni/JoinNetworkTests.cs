using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class JoinNetworkTests
{
    private static readonly DateTimeOffset DueAt = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly JoinChoice MembershipAndSurveys = new(true, new HashSet<ConsentPurpose> { ConsentPurpose.Surveys });

    private readonly FakeTimeProvider time = new(DueAt.AddDays(1));
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly LinkTokenService tokens;

    public JoinNetworkTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        consents.Setup(c => c.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private JoinNetwork Join() => new(new SignedLinkAccess(tokens, alumni.Object), alumni.Object, consents.Object, time);

    private Alumnus Stored(AlumnusStatus status)
    {
        var alumnus = Builders.Alumnus(DueAt, status);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        return alumnus;
    }

    [Fact]
    public async Task RehiredPerson_IsShownReturned_NotTheForm()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        alumnus.Return(new DateOnly(2027, 4, 1));

        var result = await Join().ShowAsync(tokens.Issue(LinkPurpose.Join, alumnus), CancellationToken.None);

        Assert.Equal(JoinStatus.Returned, result.Status);
    }

    [Fact]
    public async Task RehiredPerson_SendingTheForm_IsReturned_AndNothingIsWritten()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        alumnus.Return(new DateOnly(2027, 4, 1));

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal(JoinStatus.Returned, result.Status);
        Assert.Equal(AlumnusStatus.Returned, alumnus.Status);
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RehireLandingWhileTheJoinIsWritten_WithdrawsTheConsentsItGranted_AndSaysSo()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        var rehired = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        rehired.Return(new DateOnly(2027, 4, 1));
        var appended = new List<ConsentRecord>();
        consents.Setup(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()))
            .Callback((ConsentRecord r, CancellationToken _) => appended.Add(r)).Returns(Task.CompletedTask);
        consents.Setup(c => c.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. appended]);
        // The grants changed the row's ETag and a rehire landed before the join's write: the re-read finds them returned.
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var reads = 0;
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => ++reads == 1 ? alumnus : rehired);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal((JoinStatus.Returned, true), (result.Status, result.ConsentWithdrawn));
        var granted = appended.Where(r => r.Granted).Select(r => r.Purpose).Order().ToList();
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Surveys], granted);
        Assert.Equal(granted, appended.Where(r => !r.Granted).Select(r => r.Purpose).Order());
        Assert.Empty(ConsentState.From(appended.AsEnumerable().Reverse()).Granted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ErasureBeginningWhileTheJoinIsWritten_AnswersAsErased_NotJoined(bool rowStillThere)
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        var erasing = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        erasing.ErasureStartedAt = time.GetUtcNow();
        // The erasure's flag changed the row's ETag before the join's write: the re-read finds it flagged, or gone.
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var reads = 0;
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => ++reads == 1 ? alumnus : rowStillThere ? erasing : null);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal(JoinStatus.Gone, result.Status);
        Assert.Null(result.Alumnus);
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SendingTheFormAgain_AfterAJoinStoppedBetweenItsGrantsAndTheRehire_WithdrawsTheJoinGrants_AndKeepsOthers()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        alumnus.Return(new DateOnly(2027, 4, 1));
        var grantedAt = time.GetUtcNow().AddMinutes(1);
        var history = new List<ConsentRecord>
        {
            new(alumnus.Id, ConsentPurpose.NetworkMembership, true, grantedAt, ConsentMethod.Link, ConsentWording.Join),
            new(alumnus.Id, ConsentPurpose.Surveys, true, grantedAt, ConsentMethod.Link, ConsentWording.Join),
            new(alumnus.Id, ConsentPurpose.Newsletter, true, grantedAt, ConsentMethod.Admin, "admin-request"),
        };
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. history]);
        consents.Setup(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()))
            .Callback((ConsentRecord r, CancellationToken _) => history.Add(r)).Returns(Task.CompletedTask);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);
        var again = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal((JoinStatus.Returned, true), (result.Status, result.ConsentWithdrawn));
        Assert.Equal((JoinStatus.Returned, false), (again.Status, again.ConsentWithdrawn));
        Assert.Equal([ConsentPurpose.Newsletter], ConsentState.From(history).Granted);
        Assert.All(history.Skip(3), r => Assert.True(r.At > grantedAt));
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RehiredMember_SendingTheFormAgain_KeepsTheConsentsTheyJoinedWith()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        Assert.True(alumnus.Join(time.GetUtcNow()));
        alumnus.Return(new DateOnly(2027, 4, 1));
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [new(alumnus.Id, ConsentPurpose.NetworkMembership, true, time.GetUtcNow(), ConsentMethod.Link, ConsentWording.Join)]);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal((JoinStatus.Returned, false), (result.Status, result.ConsentWithdrawn));
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task InvitedPerson_SendingTheForm_Joins_WithMembershipAndTheTickedPurpose()
    {
        var alumnus = Stored(AlumnusStatus.Invited);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal(JoinStatus.Joined, result.Status);
        Assert.Equal(AlumnusStatus.Joined, alumnus.Status);
        consents.Verify(c => c.AppendAsync(It.Is<ConsentRecord>(r => r.Purpose == ConsentPurpose.NetworkMembership && r.Granted), It.IsAny<CancellationToken>()));
        consents.Verify(c => c.AppendAsync(It.Is<ConsentRecord>(r => r.Purpose == ConsentPurpose.Surveys && r.Granted), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task InviteeWithEarlierGrantsFromThePreferencesPage_Joins_WithExactlyWhatTheFormTicked()
    {
        // The welcome's footer links never-joined people to the preferences page; the join form shows nothing ticked.
        var alumnus = Stored(AlumnusStatus.Invited);
        var before = time.GetUtcNow().AddDays(-1);
        var history = new List<ConsentRecord>
        {
            new(alumnus.Id, ConsentPurpose.Newsletter, true, before, ConsentMethod.Link, ConsentWording.Preferences),
            new(alumnus.Id, ConsentPurpose.Events, true, before, ConsentMethod.Link, ConsentWording.Preferences),
        };
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => [.. history]);
        consents.Setup(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()))
            .Callback((ConsentRecord r, CancellationToken _) => history.Add(r)).Returns(Task.CompletedTask);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus),
            new JoinChoice(true, new HashSet<ConsentPurpose> { ConsentPurpose.Events }), CancellationToken.None);

        Assert.Equal(JoinStatus.Joined, result.Status);
        Assert.Equal(new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Events }, ConsentState.From(history).Granted);
        var appended = history.Skip(2).ToList();
        Assert.Equal(2, appended.Count);
        Assert.Contains(appended, r => r.Purpose == ConsentPurpose.Newsletter && !r.Granted && r.WordingVersion == ConsentWording.Join);
        Assert.Contains(appended, r => r.Purpose == ConsentPurpose.NetworkMembership && r.Granted);
    }

    [Fact]
    public async Task Member_SendingTheFormAgain_IsAlreadyAMember_AndNothingIsWritten()
    {
        var alumnus = Stored(AlumnusStatus.Joined);

        var result = await Join().JoinAsync(tokens.Issue(LinkPurpose.Join, alumnus), MembershipAndSurveys, CancellationToken.None);

        Assert.Equal(JoinStatus.AlreadyMember, result.Status);
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AddressCorrectedBetweenTheLinkCheckAndTheWrite_TheOldMailboxDoesNotJoin_AndItsGrantsAreWithdrawn()
    {
        var alumnus = Stored(AlumnusStatus.Invited);
        var token = tokens.Issue(LinkPurpose.Join, alumnus);
        var corrected = Alumnus.FromDeparture(alumnus.Id, Builders.Notice() with { PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net") }, DueAt, alumnus.RecordedAt);
        alumni.SetupSequence(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus).ReturnsAsync(corrected);
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var ledger = new List<ConsentRecord>();
        consents.Setup(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>())).Callback((ConsentRecord r, CancellationToken _) => ledger.Add(r)).Returns(Task.CompletedTask);
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => (IReadOnlyList<ConsentRecord>)ledger.ToList());

        var result = await Join().JoinAsync(token, MembershipAndSurveys, CancellationToken.None);

        Assert.Equal(new JoinResult(JoinStatus.Invalid, null), result);
        Assert.Equal((AlumnusStatus.Departed, (DateTimeOffset?)null), (corrected.Status, corrected.JoinedAt));
        alumni.Verify(a => a.TryUpdateAsync(corrected, It.IsAny<CancellationToken>()), Times.Never);
        Assert.DoesNotContain(ConsentPurpose.NetworkMembership, ConsentState.From(ledger).Granted);
    }
}

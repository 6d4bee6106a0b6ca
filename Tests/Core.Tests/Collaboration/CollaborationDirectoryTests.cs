using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>Whose cards the members' directory lists: members' only (ADR 0031), while admins still see every card.</summary>
public sealed class CollaborationDirectoryTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ICollaborationStore> store = new();
    private readonly List<CollaborationCard> cards = [];
    private readonly LinkTokenService tokens;
    private readonly Alumnus reader;

    public CollaborationDirectoryTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        reader = Held(AlumnusStatus.Joined);
        store.Setup(s => s.ListCardsAsync(It.IsAny<CardStatus?>(), It.IsAny<CancellationToken>())).Returns(() => cards.ToAsyncEnumerable());
    }

    private Alumnus Held(AlumnusStatus status)
    {
        var alumnus = Builders.Alumnus(Now.AddDays(-200), status);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        return alumnus;
    }

    private Alumnus WithCard(AlumnusStatus status, int reviewedDaysAgo)
    {
        var alumnus = Held(status);
        cards.Add(new CollaborationCard(alumnus.Id, new Dictionary<CardField, string> { [CardField.Offer] = "Payments" }, Industry.Finance, true, true, false,
            CardStatus.Listed, Now.AddDays(-30)) { ReviewedAt = Now.AddDays(-reviewedDaysAgo) });
        return alumnus;
    }

    private CollaborationDirectory Directory() => new(new SignedLinkAccess(tokens, alumni.Object), store.Object, alumni.Object,
        new Core.Privacy.ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<Core.Privacy.ErasureRecheck>.Instance), Mock.Of<IAuditLog>(), time,
        Options.Create(new CollaborationOptions()));

    [Fact]
    public async Task MembersPage_ListsOnlyCardsOfMembersNow_NotOfTheRehiredNorTheErased()
    {
        var member = WithCard(AlumnusStatus.Joined, 3);
        WithCard(AlumnusStatus.Returned, 2);
        WithCard(AlumnusStatus.Joined, 1).ErasureStartedAt = Now.AddHours(-1);

        var view = await Directory().BrowseAsync(tokens.Issue(LinkPurpose.CollaborationDirectory, reader), new DirectoryQuery(null, null, null, null), CancellationToken.None);

        Assert.Equal([member.Id], view.Page!.Cards.Select(c => c.AlumnusId));
        Assert.False(view.Page.More);
    }

    [Fact]
    public async Task AdminsSearch_StillShowsTheRehiredAlumnussCard()
    {
        var rehired = WithCard(AlumnusStatus.Returned, 2);

        var outcome = await Directory().SearchForAdminAsync(new DirectoryQuery(null, null, null, null), null, "admin-1", CancellationToken.None);

        Assert.Equal([rehired.Id], Assert.IsType<Core.Admin.AdminOutcome<DirectoryPage>.Done>(outcome).Value.Cards.Select(c => c.AlumnusId));
    }
}

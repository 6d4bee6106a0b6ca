using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Tests.Events;
using AlumniNetwork.Core.Tests.Openings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Rehires;

public sealed class AttributeRehireTests
{
    private static readonly DateOnly HiredOn = new(2027, 4, 1);
    private static readonly DateTimeOffset Now = new(2027, 4, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IRehireStore> rehires = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ICampaignStore> campaigns = new();
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<Rehire> savedHires = [];
    private readonly List<Alumnus> savedAlumni = [];

    // Left 2026-11-30 (Builders), a member.
    private readonly Alumnus alumnus = OpeningBuilders.Member();
    private Rehire hire = NewHire(emailKey: "email-key");

    public AttributeRehireTests()
    {
        rehires.Setup(r => r.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => hire);
        rehires.Setup(r => r.TryUpdateAsync(It.IsAny<Rehire>(), It.IsAny<CancellationToken>()))
            .Callback((Rehire r, CancellationToken _) => savedHires.Add(r)).ReturnsAsync(true);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => alumnus);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback((Alumnus a, CancellationToken _) => savedAlumni.Add(a)).ReturnsAsync(true);
        alumni.Setup(a => a.FindEmployeeAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(((AlumnusId?)null, false));
        alumni.Setup(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Async());
        events.Setup(e => e.RsvpsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        openings.Setup(o => o.InterestsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        rehires.Setup(r => r.OfAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        rehires.Setup(r => r.ClaimReturnAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string returnKey, string hireKey, CancellationToken _) => returnClaims.GetOrAdd(returnKey, hireKey));
    }

    /// <summary>The stored claims of returns: insert-if-absent, as the table's are.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> returnClaims = new();

    private static Rehire NewHire(string? emailKey = null, DateOnly? hiredOn = null) => new()
    {
        Key = new string('a', 64),
        HiredOn = hiredOn ?? HiredOn,
        EmployeeKey = "employee-key",
        EmailKey = emailKey,
        ReceivedAt = Now.AddHours(-1),
    };

    private static async IAsyncEnumerable<Alumnus> Async(params Alumnus[] found)
    {
        await Task.Yield();
        foreach (var a in found)
        {
            yield return a;
        }
    }

    private async Task<RehireAttributionOutcome?> RunAsync()
    {
        var time = new FakeTimeProvider(Now);
        var runner = new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance);
        var handler = new AttributeRehire(rehires.Object, alumni.Object, new RehireTouches(campaigns.Object, events.Object, openings.Object),
            new CompanyCalendar(Builders.Company()), new Pseudonyms(Options.Create(new PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) })), runner, time,
            NullLogger<AttributeRehire>.Instance);
        var message = new WorkItem { Kind = WorkKinds.RehireAttribution, SubjectId = hire.Subject, DueAt = hire.ReceivedAt }.ToMessage();
        return (await handler.HandleAsync(message, CancellationToken.None)).Rehire;
    }

    private void HoldsTheClaim() =>
        alumni.Setup(a => a.FindEmployeeAsync("employee-key", It.IsAny<CancellationToken>())).ReturnsAsync(((AlumnusId?)alumnus.Id, false));

    [Fact]
    public async Task SameEmployeeId_Matches_MarksTheAlumnusReturned_AndAttributesTheCampaignsOfTheYearBefore()
    {
        HoldsTheClaim();
        var newsletter = Campaign.Start(new CampaignRequest("newsletter-2027-02", CampaignKind.Newsletter, "2027-02", AudienceSegment.Everyone, "timer"), Now);
        campaigns.Setup(c => c.GetAsync("newsletter-2027-02", It.IsAny<CancellationToken>())).ReturnsAsync(newsletter);
        var sentAt = new DateTimeOffset(2027, 2, 5, 0, 0, 0, TimeSpan.Zero);
        alumnus.Contacts = [new OutreachContact("newsletter-2027-02", 1, sentAt), new OutreachContact("newsletter-2025-12", 1, new DateTimeOffset(2025, 12, 5, 0, 0, 0, TimeSpan.Zero))];

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.Matched, outcome);
        var saved = Assert.Single(savedHires);
        Assert.Equal((RehireOutcome.Matched, alumnus.Id, new DateOnly(2026, 11, 30), 122), (saved.Outcome, saved.AlumnusId!.Value, saved.LastWorkingDay!.Value, saved.DaysAway!.Value));
        Assert.Equal([new Touch(TouchKind.Campaign, "newsletter-2027-02", "Newsletter", "email", sentAt, First: true, Last: true)], saved.Touches);
        var returned = Assert.Single(savedAlumni);
        Assert.Equal((AlumnusStatus.Returned, HiredOn), (returned.Status, returned.ReturnedOn!.Value));
    }

    [Fact]
    public async Task OpeningsEventsAndInterest_AreAllTouches_TheOpeningsCampaignCountingAsTheOpening()
    {
        HoldsTheClaim();
        var opening = OpeningBuilders.Opening(OpeningKind.Comeback);
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        var mailed = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        alumnus.Contacts = [new OutreachContact(opening.CampaignId, 1, mailed)];
        var interest = OpeningInterest.New(opening.Id, alumnus.Id);
        interest.Express("ぜひ", mailed.AddDays(2));
        openings.Setup(o => o.InterestsOfAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([interest]);
        var lecture = EventBuilders.Event(capacity: 10);
        var rsvp = Rsvp.New(lecture.Id, alumnus.Id);
        rsvp.Become(RsvpStatus.Attending, 1, false, EventBuilders.Now);
        rsvp.MarkAttendance(true);
        events.Setup(e => e.RsvpsOfAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([rsvp]);
        events.Setup(e => e.GetAsync(lecture.Id, It.IsAny<CancellationToken>())).ReturnsAsync(lecture);

        await RunAsync();

        Assert.Equal(
            [
                new Touch(TouchKind.Opening, opening.Id, "Comeback", "email", mailed, First: true),
                new Touch(TouchKind.Opening, opening.Id, "Comeback", "interest", mailed.AddDays(2)),
                new Touch(TouchKind.Event, lecture.Id, "LectureSeries", "attended", lecture.Details.StartsAt, Last: true),
            ],
            Assert.Single(savedHires).Touches);
    }

    [Fact]
    public async Task OneToOneClaims_AnApprovedOpeningIsATouch_ACollaborationRequestIsNoCampaign()
    {
        HoldsTheClaim();
        var opening = OpeningBuilders.Opening(OpeningKind.Comeback);
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        var mailed = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        alumnus.Contacts = [new OutreachContact(opening.CampaignId, OutreachContact.OneToOne, mailed), new OutreachContact("collaboration-r1", OutreachContact.OneToOne, mailed.AddDays(1))];

        await RunAsync();

        Assert.Equal([new Touch(TouchKind.Opening, opening.Id, "Comeback", "email", mailed, First: true, Last: true)], Assert.Single(savedHires).Touches);
        campaigns.Verify(c => c.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ErasedEmployee_NeverMatches_NotEvenByTheirAddress()
    {
        alumni.Setup(a => a.FindEmployeeAsync("employee-key", It.IsAny<CancellationToken>())).ReturnsAsync(((AlumnusId?)null, true));
        alumni.Setup(a => a.FindByEmailKeyAsync("email-key", It.IsAny<CancellationToken>())).Returns(Async(alumnus));

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.NoMatch, outcome);
        Assert.Equal((RehireOutcome.NoMatch, (AlumnusId?)null), (Assert.Single(savedHires).Outcome, savedHires[0].AlumnusId));
        alumni.Verify(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task NewEmployeeId_MatchesByTheAddressPseudonym_TheLatestToLeave()
    {
        var earlier = Builders.Alumnus(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Joined);
        earlier.LastWorkingDay = new DateOnly(2019, 12, 31);
        alumni.Setup(a => a.FindByEmailKeyAsync("email-key", It.IsAny<CancellationToken>())).Returns(Async(earlier, alumnus));

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.Matched, outcome);
        Assert.Equal(alumnus.Id, Assert.Single(savedHires).AlumnusId);
        Assert.Equal(AlumnusStatus.Returned, Assert.Single(savedAlumni).Status);
    }

    [Fact]
    public async Task NewEmployeeId_MatchedByAddress_IsClaimedForTheAlumnus_BeforeTheyAreMarkedReturned()
    {
        alumni.Setup(a => a.FindByEmailKeyAsync("email-key", It.IsAny<CancellationToken>())).Returns(Async(alumnus));
        var steps = new List<string>();
        alumni.Setup(a => a.ClaimReturnAsync(It.IsAny<string>(), It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback((string key, Alumnus holder, CancellationToken _) => steps.Add($"claim {key} {holder.Id}")).Returns(Task.CompletedTask);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback((Alumnus a, CancellationToken _) => steps.Add($"alumnus {a.Status}")).ReturnsAsync(true);

        Assert.Equal(RehireAttributionOutcome.Matched, await RunAsync());
        Assert.Equal([$"claim employee-key {alumnus.Id}", "alumnus Returned"], steps);

        // A redelivery (the first run died after its claim, or after the mark) asserts the claim again.
        steps.Clear();
        Assert.Equal(RehireAttributionOutcome.AlreadyDecided, await RunAsync());
        Assert.Equal([$"claim employee-key {alumnus.Id}"], steps);
    }

    [Fact]
    public async Task LateHireOfAnEarlierStint_AfterTheyLeftAgain_IsNoSecondReturn()
    {
        // Invited 2026-12-02, back 2027-04-01 (matched), left again 2027-09-30: HR then posts the hire corrected to 2027-04-15.
        HoldsTheClaim();
        alumnus.InvitedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        alumnus.LastWorkingDay = new DateOnly(2027, 9, 30);
        var counted = NewHire(hiredOn: HiredOn);
        counted.Match(alumnus, [], Now.AddDays(-1));
        rehires.Setup(r => r.OfAlumnusAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([counted]);
        hire = new Rehire { Key = new string('b', 64), HiredOn = new DateOnly(2027, 4, 15), EmployeeKey = "employee-key", ReceivedAt = Now.AddHours(-1) };

        Assert.Equal(RehireAttributionOutcome.AlreadyReturned, await RunAsync());
        Assert.Equal((RehireOutcome.NoMatch, (AlumnusId?)null), (Assert.Single(savedHires).Outcome, savedHires[0].AlumnusId));
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task HireMatchedByTheInvitation_WithAReturnOnlyBeforeTheInvitation_StillMatches()
    {
        HoldsTheClaim();
        alumnus.InvitedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        alumnus.LastWorkingDay = new DateOnly(2027, 9, 30);
        var earlier = new Rehire { Key = new string('c', 64), HiredOn = new DateOnly(2020, 4, 1), EmployeeKey = "employee-key", ReceivedAt = Now.AddYears(-7) };
        earlier.Match(alumnus, [], Now.AddYears(-7));
        rehires.Setup(r => r.OfAlumnusAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync([earlier]);

        Assert.Equal(RehireAttributionOutcome.Matched, await RunAsync());
    }

    [Theory]
    [InlineData(15)]
    [InlineData(1)]
    public async Task SecondHireOfSomeoneAlreadyBack_IsNoSecondReturn_AndKeepsTheFirstReturnDay(int day)
    {
        // HR posted the hire on 2027-04-01, then a correction (another date) or the same day under another id.
        HoldsTheClaim();
        alumnus.Return(HiredOn);
        hire = NewHire(hiredOn: new DateOnly(2027, 4, day));

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.AlreadyReturned, outcome);
        Assert.Equal((RehireOutcome.NoMatch, (AlumnusId?)null), (Assert.Single(savedHires).Outcome, savedHires[0].AlumnusId));
        Assert.Empty(savedAlumni);
        Assert.Equal(HiredOn, alumnus.ReturnedOn);
    }

    [Fact]
    public async Task SecondHireDecidedWhileTheFirstIsBeingCounted_IsNoSecondReturn()
    {
        // Both read her not yet returned: the first has claimed the return of this stint, not yet marked her returned.
        HoldsTheClaim();
        var first = hire;
        Assert.Equal(RehireAttributionOutcome.Matched, await RunAsync());
        alumnus.Status = AlumnusStatus.Joined;
        alumnus.ReturnedOn = null;
        savedHires.Clear();
        savedAlumni.Clear();
        hire = new Rehire { Key = new string('b', 64), HiredOn = HiredOn.AddDays(14), EmployeeKey = "employee-key", ReceivedAt = Now.AddHours(-1) };

        Assert.Equal(RehireAttributionOutcome.AlreadyReturned, await RunAsync());
        Assert.Equal((RehireOutcome.NoMatch, (AlumnusId?)null), (Assert.Single(savedHires).Outcome, savedHires[0].AlumnusId));
        Assert.Empty(savedAlumni);

        // The first's own run again (a crash between its claim and its match): the claim is its own, so it still counts.
        hire = NewHire(emailKey: first.EmailKey, hiredOn: first.HiredOn);
        Assert.Equal(RehireAttributionOutcome.Matched, await RunAsync());
    }

    [Fact]
    public async Task SecondHireOfSomeoneAlreadyBack_FoundByAddress_IsNoSecondReturn()
    {
        alumnus.Return(HiredOn);
        hire = NewHire(emailKey: "email-key", hiredOn: new DateOnly(2027, 6, 1));
        alumni.Setup(a => a.FindByEmailKeyAsync("email-key", It.IsAny<CancellationToken>())).Returns(Async(alumnus));

        Assert.Equal(RehireAttributionOutcome.AlreadyReturned, await RunAsync());
        Assert.Equal(RehireOutcome.NoMatch, Assert.Single(savedHires).Outcome);
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task AddressCandidateWhoseErasureIsUnderWay_NeverMatches()
    {
        alumnus.ErasureStartedAt = Now.AddMinutes(-5);
        alumni.Setup(a => a.FindByEmailKeyAsync("email-key", It.IsAny<CancellationToken>())).Returns(Async(alumnus));

        Assert.Equal(RehireAttributionOutcome.NoMatch, await RunAsync());
        Assert.Equal((RehireOutcome.NoMatch, (AlumnusId?)null), (Assert.Single(savedHires).Outcome, savedHires[0].AlumnusId));
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task UnknownPersonWithoutAddress_IsNoMatch()
    {
        hire = NewHire(emailKey: null);

        Assert.Equal(RehireAttributionOutcome.NoMatch, await RunAsync());
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task HireBeforeTheLastWorkingDay_IsNotAReturn()
    {
        HoldsTheClaim();
        hire = NewHire(hiredOn: new DateOnly(2026, 11, 30));

        Assert.Equal(RehireAttributionOutcome.NoMatch, await RunAsync());
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task InvitedMemberWhoseLaterDepartureLandedFirst_Matches_WithoutADepartureDayOrBeingMarkedReturned()
    {
        HoldsTheClaim();
        alumnus.InvitedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        alumnus.LastWorkingDay = new DateOnly(2027, 9, 30);

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.Matched, outcome);
        var saved = Assert.Single(savedHires);
        Assert.Equal((RehireOutcome.Matched, alumnus.Id), (saved.Outcome, saved.AlumnusId!.Value));
        Assert.Null(saved.LastWorkingDay);
        Assert.Null(saved.DaysAway);
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task HireBeforeTheInvitation_WithALaterLastWorkingDay_IsNotAReturn()
    {
        HoldsTheClaim();
        alumnus.InvitedAt = new DateTimeOffset(2027, 4, 2, 0, 0, 0, TimeSpan.Zero);
        alumnus.LastWorkingDay = new DateOnly(2027, 9, 30);

        Assert.Equal(RehireAttributionOutcome.NoMatch, await RunAsync());
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task Redelivery_AfterACrashBeforeTheAlumnusChanged_FinishesTheJobWithoutAttributingAgain()
    {
        hire.Match(alumnus, [], Now.AddMinutes(-5));

        var outcome = await RunAsync();

        Assert.Equal(RehireAttributionOutcome.AlreadyDecided, outcome);
        Assert.Empty(savedHires);
        Assert.Equal(AlumnusStatus.Returned, Assert.Single(savedAlumni).Status);
    }

    [Fact]
    public async Task Redelivery_OfAFinishedJob_ChangesNothing()
    {
        hire.Match(alumnus, [], Now.AddMinutes(-5));
        alumnus.Return(HiredOn);

        Assert.Equal(RehireAttributionOutcome.AlreadyDecided, await RunAsync());
        Assert.Empty(savedHires);
        Assert.Empty(savedAlumni);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task AlumnusErasedWhileTheMatchIsWritten_IsUnlinkedFromTheHire_AndNotMarkedReturned(bool tombstone, bool recordGone)
    {
        HoldsTheClaim();
        var written = new List<(RehireOutcome, AlumnusId?)>();
        rehires.Setup(r => r.TryUpdateAsync(It.IsAny<Rehire>(), It.IsAny<CancellationToken>()))
            .Callback((Rehire r, CancellationToken _) =>
            {
                written.Add((r.Outcome, r.AlumnusId));
                // The erasure runs between the matcher's read of the alumnus and its write of the match.
                alumni.Setup(a => a.FindEmployeeAsync("employee-key", It.IsAny<CancellationToken>())).ReturnsAsync(tombstone ? ((AlumnusId?)null, true) : ((AlumnusId?)alumnus.Id, false));
                alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(recordGone ? null : alumnus);
            })
            .ReturnsAsync(true);

        await RunAsync();

        Assert.Equal([(RehireOutcome.Matched, alumnus.Id), (RehireOutcome.Matched, null)], written);
        Assert.Empty(savedAlumni);
    }

    [Fact]
    public async Task AlumnusErasedWhileTheMatchIsWritten_AndTheUnlinkFailsOnce_TheRetryUnlinks()
    {
        HoldsTheClaim();
        // The store's copy: what a later run reads back.
        var stored = hire;
        var writes = 0;
        rehires.Setup(r => r.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() =>
            Rehire.Restore(stored.Key, stored.HiredOn, stored.EmployeeKey, stored.EmailKey, stored.ReceivedAt, stored.Outcome, stored.AlumnusId,
                stored.LastWorkingDay, stored.Touches, stored.DecidedAt, stored.ETag));
        rehires.Setup(r => r.TryUpdateAsync(It.IsAny<Rehire>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Rehire r, CancellationToken _) =>
            {
                if (++writes == 1)
                {
                    stored = Rehire.Restore(r.Key, r.HiredOn, r.EmployeeKey, r.EmailKey, r.ReceivedAt, r.Outcome, r.AlumnusId, r.LastWorkingDay, r.Touches, r.DecidedAt, r.ETag);
                    // The erasure runs between the matcher's read of the alumnus and its write of the match.
                    alumni.Setup(a => a.FindEmployeeAsync("employee-key", It.IsAny<CancellationToken>())).ReturnsAsync(((AlumnusId?)null, true));
                    alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);
                    return true;
                }

                if (writes == 2)
                {
                    throw new TimeoutException("The unlink's write timed out.");
                }

                stored = r;
                return true;
            });

        await RunAsync();
        Assert.Equal(alumnus.Id, stored.AlumnusId);

        Assert.Equal(RehireAttributionOutcome.AlreadyDecided, await RunAsync());

        Assert.Equal((RehireOutcome.Matched, (AlumnusId?)null), (stored.Outcome, stored.AlumnusId));
        Assert.Empty(savedAlumni);
    }
}

using System.Collections.Concurrent;
using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class SendEventMailTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromHours(24);
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IEmailSender> email = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly ConcurrentBag<EmailMessage> sent = [];
    private readonly List<Rsvp> rsvps = [];
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly NetworkEvent e = EventBuilders.Event(capacity: 1);

    public SendEventMailTests()
    {
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.RsvpsAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => rsvps);
        events.Setup(s => s.GetRsvpAsync(e.Id, It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, AlumnusId id, CancellationToken _) => rsvps.SingleOrDefault(r => r.AlumnusId == id));
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        sends.Setup(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string campaign, string recipient, DateTimeOffset _, SendPolicy _, CancellationToken _) =>
                new SendClaimResult(ClaimStatus.Claimed, new SendClaim(campaign, recipient, "claim", 0, null, "v1")));
        sends.Setup(s => s.BeginAttemptAsync(It.IsAny<SendClaim>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendClaim claim, DateTimeOffset _, CancellationToken _) => claim with { Version = "v2" });
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent.Add(m)).ReturnsAsync("provider-1");
    }

    private SendEventMail Handler()
    {
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), time), Builders.Company());
        var gate = new OutreachGate(Mock.Of<IConsentLedger>(), suppressions.Object, Mock.Of<IOutreachLog>(), alumni.Object,
            new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            new OutreachPolicy(new CompanyCalendar(Builders.Company()), Builders.Outreach()), Builders.Outreach(), time);
        var sender = new OutreachSender(gate, sends.Object, new ErasureRecheck(alumni.Object, Mock.Of<IWorkItemStore>(), time, NullLogger<ErasureRecheck>.Instance),
            email.Object, new PromotionalFooter(links, Builders.Company(), Builders.Outreach()),
            Options.Create(new SendingOptions()), Options.Create(new SendGridEventWebhookOptions()), time, NullLogger<OutreachSender>.Instance);
        var runner = new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), time, NullLogger<WorkItemRunner>.Instance);
        var sendGrid = Options.Create(new SendGridOptions { ApiKey = "k", FromEmail = "alumni@example.com", FromName = "Example Alumni" });
        return new SendEventMail(events.Object, alumni.Object, work.Object, runner, sender, links, Builders.Company(), sendGrid,
            Options.Create(new EventOptions { ReminderLead = Lead }), time, NullLogger<SendEventMail>.Instance);
    }

    private Rsvp Register(Locale locale = Locale.Japanese, bool attend = true)
    {
        var alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, locale);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        var rsvp = (attend ? e.Attend(null, alumnus.Id, EventBuilders.Now) : e.Decline(null, alumnus.Id, null, EventBuilders.Now)).Changed.Single();
        rsvps.Add(rsvp);
        return rsvp;
    }

    private WorkMessage Notices() => EventWork.Notices(e.Id, EventBuilders.Now).ToMessage();

    private WorkMessage Reminder() => EventWork.Reminder(e, Lead, EventBuilders.Now)!.ToMessage();

    [Fact]
    public async Task PendingConfirmation_IsSentWithACalendarRequest_MarkedNoticed_AndTheWorkCompleted()
    {
        var rsvp = Register();

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        var mail = Assert.Single(sent);
        Assert.Equal(1, outcome.Sent);
        Assert.Contains("参加登録完了", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("https://meet.example.com/alumni-lecture", mail.Text, StringComparison.Ordinal);
        Assert.Contains("METHOD:REQUEST", Encoding.UTF8.GetString(Assert.Single(mail.Attachments).Content), StringComparison.Ordinal);
        Assert.False(rsvp.NoticePending(e));
        Assert.True(rsvp.CalendarSent);
        sends.Verify(s => s.ClaimAsync($"event-{e.Id}-r1-s0", rsvp.AlumnusId.Value, It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()));
        work.Verify(w => w.CompleteAsync(Notices().PartitionKey, Notices().RowKey, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Confirmation_RecordsTheCalendarOnTheRsvpBeforeTheRequestGoes_SoADeclineBeforeTheMarkStillCancelsIt()
    {
        var rsvp = Register();
        var order = new List<string>();
        Rsvp? written = null;
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Callback((Rsvp r, CancellationToken _) =>
            {
                order.Add($"rsvp calendar={r.CalendarSent} pending={r.NoticePending(e)}");
                written ??= new Rsvp
                {
                    EventId = r.EventId, AlumnusId = r.AlumnusId, Status = r.Status, Position = r.Position, RespondedAt = r.RespondedAt,
                    Version = r.Version, NoticedVersion = r.NoticedVersion, NoticedSequence = r.NoticedSequence, CalendarSent = r.CalendarSent,
                };
            })
            .ReturnsAsync(true);
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => { sent.Add(m); order.Add("mail"); }).ReturnsAsync("provider-1");

        await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(["rsvp calendar=True pending=True", "mail", "rsvp calendar=True pending=False"], order);
        // The person declines from the row as the first write left it (the mark then loses the ETag, or the process dies).
        e.Decline(written, written!.AlumnusId, null, EventBuilders.Now);
        Assert.Equal(CalendarAction.Cancel, PendingNotice.For(e, written)!.Calendar);
    }

    [Fact]
    public async Task AnswerChangedBeforeTheCalendarIsRecorded_SendsNoRequest_AndLeavesTheNoticeToItsOwnWork()
    {
        var rsvp = Register();
        // The person declines between the run's read and its write: the write loses the row, which now owes another notice.
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Callback((Rsvp r, CancellationToken _) => Replace(Stored(r, status: RsvpStatus.Declined, version: r.Version + 1)))
            .ReturnsAsync(false);

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Empty(sent);
        Assert.Contains("skipped=1", outcome.Note, StringComparison.Ordinal);
        Assert.True(rsvps.Single().NoticePending(e));
        events.Verify(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()), Times.Once);
        sends.Verify(s => s.ClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>A separate copy of the row as another writer left it (the run's own object keeps what it read).</summary>
    private static Rsvp Stored(Rsvp r, RsvpStatus? status = null, int? version = null, bool? attended = null) => new()
    {
        EventId = r.EventId, AlumnusId = r.AlumnusId, Status = status ?? r.Status, Position = r.Position, RespondedAt = r.RespondedAt,
        Version = version ?? r.Version, NoticedVersion = r.NoticedVersion, NoticedSequence = r.NoticedSequence,
        CalendarSent = r.CalendarSent, Attended = attended ?? r.Attended, ETag = "etag-other",
    };

    private void Replace(Rsvp row) => rsvps[rsvps.FindIndex(r => r.AlumnusId == row.AlumnusId)] = row;

    /// <summary>Reads return copies of the stored rows, as storage does: the run's changes reach them only by a write.</summary>
    private void ReadsCopies() => events.Setup(s => s.GetRsvpAsync(e.Id, It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
        .ReturnsAsync((string _, AlumnusId id, CancellationToken _) => rsvps.SingleOrDefault(r => r.AlumnusId == id) is { } row ? Stored(row) : null);

    public static TheoryData<int> WritesOfTheNotice => new()
    {
        1, // the calendar intent before the REQUEST
        2, // the noticed mark after the mail
    };

    [Theory]
    [MemberData(nameof(WritesOfTheNotice))]
    public async Task AttendanceMarkedAsTheNoticeWritesTheRow_TheWriteIsMadeAgainOnTheMarkedRow_AndTheConfirmationGoesOnce(int lost)
    {
        Register();
        ReadsCopies();
        var writes = 0;
        // Attendance marked at the door between the run's read and this write: the row changed, the notice owed did not.
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Returns((Rsvp r, CancellationToken _) =>
            {
                if (++writes == lost)
                {
                    Replace(Stored(rsvps.Single(), attended: true));
                    return Task.FromResult(false);
                }

                Replace(Stored(r));
                return Task.FromResult(true);
            });

        var (mail, run) = await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.Equal(1, mail!.Sent);
        Assert.Contains("METHOD:REQUEST", Encoding.UTF8.GetString(Assert.Single(Assert.Single(sent).Attachments).Content), StringComparison.Ordinal);
        var row = rsvps.Single();
        Assert.Equal((true, false, true), (row.Attended, row.NoticePending(e), row.CalendarSent));
        Assert.Equal(3, writes);
    }

    [Fact]
    public async Task RowChangingUnderEveryWriteOfTheNotice_SendsNothingNow_AndKeepsTheWorkForALaterRun()
    {
        Register();
        ReadsCopies();
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Callback(() => Replace(Stored(rsvps.Single(), attended: rsvps.Single().Attended != true)))
            .ReturnsAsync(false);
        work.Setup(w => w.FindAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EventWork.Notices(e.Id, EventBuilders.Now));
        work.Setup(w => w.TryUpdateAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (_, run) = await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Deferred, run);
        Assert.Empty(sent);
        Assert.True(rsvps.Single().NoticePending(e));
        events.Verify(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()), Times.Exactly(ManageEvents.MaxAttempts));
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateToSomeoneWhoseCalendarHoldsTheEntry_WritesTheRsvpOnlyOnceAfterTheMail()
    {
        var rsvp = Register();
        rsvp.MarkNoticed(e, calendarSent: true);
        e.Update(e.Details with { Venue = "新会場" }, EventBuilders.Now);

        await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Single(sent);
        events.Verify(s => s.TryUpdateRsvpAsync(rsvp, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WorkForOnePersonsAnswer_SendsOnlyTheirNotice_AndLeavesTheOthersToTheirOwnItems()
    {
        var mine = Register();
        var other = Register();

        var outcome = (await Handler().HandleAsync(EventWork.Notices(e.Id, EventBuilders.Now, mine.AlumnusId).ToMessage(), CancellationToken.None)).Mail!;

        Assert.Equal(1, outcome.Sent);
        Assert.False(mine.NoticePending(e));
        Assert.True(other.NoticePending(e));
        sends.Verify(s => s.ClaimAsync(It.IsAny<string>(), other.AlumnusId.Value, It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WorkForAChangeOfTheEvent_SendsEveryPendingNotice()
    {
        Register();
        Register(attend: false);
        var waitlisted = Register();

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Equal(2, outcome.Sent);
        Assert.Equal(RsvpStatus.Waitlisted, waitlisted.Status);
        Assert.False(waitlisted.NoticePending(e));
    }

    /// <summary>The event row as another writer left it: a separate object, so the run's snapshot stays as it read it.</summary>
    private NetworkEvent Cancelled()
    {
        var now = new NetworkEvent { Id = e.Id, Details = e.Details, CreatedAt = e.CreatedAt, CreatedBy = e.CreatedBy, Status = e.Status, Sequence = e.Sequence };
        now.Cancel(EventBuilders.Now);
        return now;
    }

    private List<Rsvp> Crowd(int count)
    {
        e.Update(e.Details with { Capacity = count }, EventBuilders.Now);
        var crowd = Enumerable.Range(0, count).Select(_ => Register()).ToList();
        crowd.ForEach(r => r.MarkNoticed(e, calendarSent: true));
        return crowd;
    }

    /// <summary>
    /// The provider takes <paramref name="freely"/> mails, then holds each until every worker of the run is held there
    /// (<see cref="SendEventMail.Parallelism"/> mails past their checks, none between a check and its mail); then the
    /// event is stored as <paramref name="changed"/>, <see cref="SendEventMail.RecheckAge"/> passes and they go: the change
    /// lands with those mails in flight, in the middle of the run.
    /// </summary>
    private void ChangeLandsWithMailsInFlight(int freely, NetworkEvent changed)
    {
        var stored = e;
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Volatile.Read(ref stored));
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async (EmailMessage m, CancellationToken _) =>
            {
                sent.Add(m);
                var call = Interlocked.Increment(ref calls);
                if (call == freely + SendEventMail.Parallelism)
                {
                    Volatile.Write(ref stored, changed);
                    time.Advance(SendEventMail.RecheckAge);
                    release.SetResult();
                }
                else if (call > freely)
                {
                    await release.Task;
                }

                return "provider-1";
            });
    }

    [Fact]
    public async Task NoticeRunOvertakenByACancellation_StopsAfterTheMailsInFlight_AndTheNewerWorkTellsEveryone()
    {
        var crowd = Crowd(100);
        e.Update(e.Details with { Venue = "新会場" }, EventBuilders.Now);
        var cancelled = Cancelled();
        ChangeLandsWithMailsInFlight(freely: 20, cancelled);

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Equal(20 + SendEventMail.Parallelism, sent.Count);
        Assert.All(sent, m => Assert.Contains("内容変更", m.Subject, StringComparison.Ordinal));
        Assert.EndsWith("superseded", outcome.Note, StringComparison.Ordinal);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices && i.SubjectId == e.Id), It.IsAny<CancellationToken>()), Times.Once);
        work.Verify(w => w.CompleteAsync(Notices().PartitionKey, Notices().RowKey, It.IsAny<CancellationToken>()));

        sent.Clear();
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => sent.Add(m)).ReturnsAsync("provider-1");
        await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(crowd.Count, sent.Count(m => m.Subject.Contains("開催中止", StringComparison.Ordinal)));
        Assert.DoesNotContain(sent, m => m.Subject.Contains("内容変更", StringComparison.Ordinal));
        Assert.All(crowd, r => Assert.False(r.NoticePending(cancelled)));
    }

    /// <summary>
    /// A attends; A's own notice run reads the event while it is published; the admin cancels; the cancellation run plans
    /// "cancelled, no calendar CANCEL" for A (no REQUEST had gone). A's run then records its calendar REQUEST (which writes
    /// no work item) inside the cancellation run's re-read of A's row. Whether A's run saw the cancellation before its mail
    /// or not, A must end up told of the cancellation, with a CANCEL for any REQUEST that went, and the item complete.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PersonsOwnRunRacingACancellation_NeverLeavesThemWithAnInviteAndNoCancellation(bool ownRunSeesTheCancellation)
    {
        var a = Register();
        var cancelled = Cancelled();
        var eventReads = new Queue<NetworkEvent>();
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => eventReads.TryDequeue(out var read) ? read : cancelled);
        events.Setup(s => s.TryUpdateRsvpAsync(It.IsAny<Rsvp>(), It.IsAny<CancellationToken>()))
            .Callback((Rsvp r, CancellationToken _) => Replace(Stored(r))).ReturnsAsync(true);
        var handler = Handler();
        (EventMailOutcome? Mail, WorkRunOutcome Work)? own = null;
        events.Setup(s => s.GetRsvpAsync(e.Id, It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, AlumnusId id, CancellationToken ct) =>
            {
                if (own is null)
                {
                    // A's run: its first read of the event is from before the cancellation (and its second too, when it lost the race).
                    own = (null, WorkRunOutcome.Completed);
                    eventReads.Enqueue(e);
                    if (!ownRunSeesTheCancellation)
                    {
                        eventReads.Enqueue(e);
                    }

                    own = await handler.HandleAsync(EventWork.Notices(e.Id, EventBuilders.Now, a.AlumnusId).ToMessage(), ct);
                }

                return rsvps.SingleOrDefault(r => r.AlumnusId == id) is { } row ? Stored(row) : null;
            });

        var (mail, run) = await handler.HandleAsync(Notices(), CancellationToken.None);

        var calendars = sent.SelectMany(m => m.Attachments).Select(f => Encoding.UTF8.GetString(f.Content)).ToList();
        var cancellation = Assert.Single(sent, m => m.Subject.Contains("開催中止", StringComparison.Ordinal));
        Assert.Contains("METHOD:CANCEL", Encoding.UTF8.GetString(Assert.Single(cancellation.Attachments).Content), StringComparison.Ordinal);
        Assert.Equal(ownRunSeesTheCancellation ? 0 : 1, calendars.Count(c => c.Contains("METHOD:REQUEST", StringComparison.Ordinal)));
        Assert.Equal(ownRunSeesTheCancellation ? 1 : 2, sent.Count);
        Assert.Equal(1, mail!.Sent);
        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.False(rsvps.Single().NoticePending(cancelled));
        Assert.False(rsvps.Single().CalendarSent);
        if (ownRunSeesTheCancellation)
        {
            Assert.Equal(0, own!.Value.Mail!.Sent);
            Assert.EndsWith("superseded", own.Value.Mail.Note, StringComparison.Ordinal);
            work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventNotices && i.SubjectId == e.Id), It.IsAny<CancellationToken>()));
        }
    }

    /// <summary>
    /// A row that no longer owes the notice planned, yet was not answered again (no item of its own was written for it),
    /// keeps this run's item for a later run instead of completing it and leaving the notice unsent.
    /// </summary>
    [Fact]
    public async Task RowOwingAnotherNoticeWithoutANewAnswer_KeepsTheItemForALaterRun()
    {
        var declined = Register();
        declined.MarkNoticed(e, calendarSent: false);
        e.Decline(declined, declined.AlumnusId, null, EventBuilders.Now);
        var cancelled = Cancelled();
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(cancelled);
        // Planned silent (a decline with nothing in the calendar); read again, the row shows a calendar entry, same answer.
        var withCalendar = Stored(declined);
        withCalendar.CalendarSent = true;
        events.Setup(s => s.RsvpsAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync([Stored(declined)]);
        events.Setup(s => s.GetRsvpAsync(e.Id, declined.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(withCalendar);
        work.Setup(w => w.FindAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EventWork.Notices(e.Id, EventBuilders.Now));
        work.Setup(w => w.TryUpdateAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (_, run) = await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Deferred, run);
        Assert.Empty(sent);
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>The provider refuses every mail to <paramref name="rsvp"/>'s alumnus as <paramref name="refusal"/>.</summary>
    private void ProviderRefuses(Rsvp rsvp, EmailNotAcceptedException refusal) =>
        email.Setup(m => m.SendAsync(It.Is<EmailMessage>(x => x.CustomArgs["alumnusId"] == rsvp.AlumnusId.Value), It.IsAny<CancellationToken>()))
            .ThrowsAsync(refusal);

    private static EmailNotAcceptedException RecipientRefused() => new(System.Net.HttpStatusCode.BadRequest, recipientRefused: true);

    [Fact]
    public async Task CancellationWhoseMailToOneAttendeeTheProviderRefuses_StillGoesToEveryoneElse_AndTheRefusedOneIsNotAskedAgain()
    {
        var crowd = Crowd(SendEventMail.Parallelism * 3);
        e.Cancel(EventBuilders.Now);
        // First in line: a run that stopped at them would never reach the rest, retry after retry.
        var refused = crowd[0];
        rsvps.Remove(refused);
        rsvps.Insert(0, refused);
        ProviderRefuses(refused, RecipientRefused());

        var (mail, run) = await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.Equal((crowd.Count - 1, 1), (mail!.Sent, mail.Refused));
        Assert.Equal(crowd.Count - 1, sent.Count(m => m.Subject.Contains("開催中止", StringComparison.Ordinal)));
        Assert.All(crowd, r => Assert.False(r.NoticePending(e)));
        // No CANCEL reached the refused one's calendar: the row still says it holds the entry, as before.
        Assert.True(refused.CalendarSent);
        Assert.All(crowd.Skip(1), r => Assert.False(r.CalendarSent));
    }

    [Fact]
    public async Task ReminderWhoseMailToOneAttendeeTheProviderRefuses_StillGoesToEveryoneElse()
    {
        var crowd = Crowd(SendEventMail.Parallelism * 3);
        ProviderRefuses(crowd[0], RecipientRefused());

        var (mail, run) = await Handler().HandleAsync(Reminder(), CancellationToken.None);

        Assert.Equal(WorkRunOutcome.Completed, run);
        Assert.Equal((crowd.Count - 1, 1), (mail!.Sent, mail.Refused));
        Assert.DoesNotContain(sent, m => m.CustomArgs["alumnusId"] == crowd[0].AlumnusId.Value);
    }

    public static TheoryData<int?, WorkRunOutcome> RefusalsOfEveryMail => new()
    {
        { 401, WorkRunOutcome.Failed }, // the account
        { 400, WorkRunOutcome.Failed }, // a field every mail carries (the from address): not the recipient alone
        { 413, WorkRunOutcome.Failed }, // the size of what every mail carries
        { 503, WorkRunOutcome.RetryScheduled }, // unavailable after the pipeline's own retries: the item's backoff
        { null, WorkRunOutcome.RetryScheduled }, // unreachable
    };

    [Theory]
    [MemberData(nameof(RefusalsOfEveryMail))]
    public async Task ProviderRefusingWhatEveryMailShares_OrUnavailable_LeavesTheItemToItsRetryOrAnOperator_AndMarksNobodyTold(int? status, WorkRunOutcome expected)
    {
        var crowd = Crowd(3);
        e.Cancel(EventBuilders.Now);
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new EmailNotAcceptedException((System.Net.HttpStatusCode?)status));
        work.Setup(w => w.FindAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(EventWork.Notices(e.Id, EventBuilders.Now));
        work.Setup(w => w.TryUpdateAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var (_, run) = await Handler().HandleAsync(Notices(), CancellationToken.None);

        Assert.Equal(expected, run);
        Assert.All(crowd, r => Assert.True(r.NoticePending(e)));
        work.Verify(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SomeoneWhoDeclinedDuringTheRun_IsNotSentTheUpdate()
    {
        var (staying, leaving) = (Register(), Register());
        staying.MarkNoticed(e, calendarSent: true);
        leaving.MarkNoticed(e, calendarSent: false);
        e.Update(e.Details with { Venue = "新会場" }, EventBuilders.Now);
        var declined = new Rsvp
        {
            EventId = e.Id, AlumnusId = leaving.AlumnusId, Status = RsvpStatus.Declined, Version = leaving.Version + 1,
            NoticedVersion = leaving.NoticedVersion, NoticedSequence = leaving.NoticedSequence,
        };
        events.Setup(s => s.GetRsvpAsync(e.Id, leaving.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(declined);

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Equal(staying.AlumnusId.Value, Assert.Single(sent).CustomArgs["alumnusId"]);
        Assert.Contains("skipped=1", outcome.Note, StringComparison.Ordinal);
        events.Verify(s => s.TryUpdateRsvpAsync(It.Is<Rsvp>(r => r.AlumnusId == leaving.AlumnusId), It.IsAny<CancellationToken>()), Times.Never);
    }

    private NetworkEvent Moved()
    {
        var moved = new NetworkEvent { Id = e.Id, Details = e.Details, CreatedAt = e.CreatedAt, CreatedBy = e.CreatedBy, Status = e.Status, Sequence = e.Sequence };
        moved.Update(e.Details with { StartsAt = e.Details.StartsAt.AddDays(7), EndsAt = e.Details.EndsAt.AddDays(7) }, EventBuilders.Now);
        return moved;
    }

    /// <summary>
    /// Only the mails already past their check when the change lands go (they cannot be called back); no attendee after
    /// them is reminded, where a run that read the event once per 64 mails sent the rest of those 64.
    /// </summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(20, false)]
    public async Task ReminderRunOvertakenByACancellationOrAMove_SendsNoReminderAfterTheMailsInFlight(int before, bool move)
    {
        Crowd(100);
        ChangeLandsWithMailsInFlight(before, move ? Moved() : Cancelled());
        var message = Reminder();

        var outcome = (await Handler().HandleAsync(message, CancellationToken.None)).Mail!;

        Assert.Equal(before + SendEventMail.Parallelism, sent.Count);
        Assert.Equal(before + SendEventMail.Parallelism, outcome.Sent);
        Assert.Equal("attendees=100; superseded", outcome.Note);
        work.Verify(w => w.CompleteAsync(message.PartitionKey, message.RowKey, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ReminderRun_ReadsTheEventOncePerRecheckAge_NotOncePerMail()
    {
        Crowd(400);
        var (reads, mails) = (0, 0);
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).Callback(() => Interlocked.Increment(ref reads)).ReturnsAsync(e);
        email.Setup(m => m.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) =>
            {
                // Every hundredth mail another quarter second has passed: at most one more read each time.
                if (Interlocked.Increment(ref mails) % 100 == 0)
                {
                    time.Advance(SendEventMail.RecheckAge);
                }
            })
            .ReturnsAsync("provider-1");

        var outcome = (await Handler().HandleAsync(Reminder(), CancellationToken.None)).Mail!;

        Assert.Equal(400, outcome.Sent);
        // The run's first read, the mails' first shared one, and one after each of the three quarter seconds that passed mid-run.
        Assert.InRange(reads, 2, 5);
    }

    [Fact]
    public async Task AttendeeWhoDeclinedDuringTheReminderRun_IsNotReminded()
    {
        var (staying, leaving) = (Register(), Register());
        e.Update(e.Details with { Capacity = 2 }, EventBuilders.Now);
        e.PromoteFromWaitlist([leaving], max: 90, EventBuilders.Now);
        var declined = new Rsvp { EventId = e.Id, AlumnusId = leaving.AlumnusId, Status = RsvpStatus.Declined, Version = leaving.Version + 1 };
        events.Setup(s => s.GetRsvpAsync(e.Id, leaving.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(declined);

        await Handler().HandleAsync(Reminder(), CancellationToken.None);

        Assert.Equal(staying.AlumnusId.Value, Assert.Single(sent).CustomArgs["alumnusId"]);
    }

    [Fact]
    public async Task StoredTextInTheMail_IsEscapedInHtml()
    {
        Register(Locale.English);

        await Handler().HandleAsync(Notices(), CancellationToken.None);

        var html = Assert.Single(sent).Html;
        Assert.Contains("About &amp; &lt;b&gt;details&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>details</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingPending_SendsNothing()
    {
        var rsvp = Register();
        rsvp.MarkNoticed(e, calendarSent: true);

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Empty(sent);
        Assert.Equal(0, outcome.Sent + outcome.Refused);
    }

    [Fact]
    public async Task SuppressedAddress_IsNotMailedButMarkedSoItIsNotRetriedForever()
    {
        var rsvp = Register();
        suppressions.Setup(s => s.FindAsync(It.IsAny<EmailAddress>(), It.IsAny<CancellationToken>())).ReturnsAsync(new Suppression(EmailAddress.Parse("hanako@example.net"), SuppressionReason.Bounce, EventBuilders.Now));

        var outcome = (await Handler().HandleAsync(Notices(), CancellationToken.None)).Mail!;

        Assert.Empty(sent);
        Assert.Equal(1, outcome.Refused);
        Assert.False(rsvp.NoticePending(e));
        Assert.False(rsvp.CalendarSent);
    }

    [Fact]
    public async Task Reminder_GoesToAttendeesOnly()
    {
        var attending = Register();
        attending.MarkNoticed(e, true);
        Register().MarkNoticed(e, false);
        Register(attend: false);

        var outcome = (await Handler().HandleAsync(Reminder(), CancellationToken.None)).Mail!;

        Assert.Equal(1, outcome.Sent);
        Assert.Contains("リマインダー", Assert.Single(sent).Subject, StringComparison.Ordinal);
        Assert.Equal(attending.AlumnusId.Value, sent.Single().CustomArgs["alumnusId"]);
    }

    [Fact]
    public async Task ReminderAfterTheDeadline_KeepsTheLinkToGiveUpTheSeat()
    {
        Register().MarkNoticed(e, true);
        time.SetUtcNow(e.Details.RegistrationDeadline.AddHours(15));

        await Handler().HandleAsync(Reminder(), CancellationToken.None);

        var reminder = Assert.Single(sent);
        Assert.Contains("api/alumni/rsvp", reminder.Text, StringComparison.Ordinal);
        Assert.Contains("参加の取り消し・キャンセル待ちの辞退は開催まで", reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclineNoticeAfterTheDeadline_HasNoLink()
    {
        var rsvp = Register();
        rsvp.MarkNoticed(e, true);
        var afterDeadline = e.Details.RegistrationDeadline.AddHours(15);
        e.Decline(rsvp, rsvp.AlumnusId, null, afterDeadline);
        time.SetUtcNow(afterDeadline + EventWork.WriteGrace);

        await Handler().HandleAsync(EventWork.Notices(e.Id, afterDeadline).ToMessage(), CancellationToken.None);

        Assert.DoesNotContain("api/alumni/rsvp", Assert.Single(sent).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReminderOfACancelledEvent_SendsNothing()
    {
        Register().MarkNoticed(e, true);
        var message = Reminder();
        e.Cancel(EventBuilders.Now);

        var outcome = (await Handler().HandleAsync(message, CancellationToken.None)).Mail!;

        Assert.Empty(sent);
        Assert.Equal("not published or cancelled", outcome.Note);
        work.Verify(w => w.CompleteAsync(message.PartitionKey, message.RowKey, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ReminderOfAMovedEvent_SendsNothingAndSchedulesTheNewOne()
    {
        Register().MarkNoticed(e, true);
        var message = Reminder();
        e.Update(e.Details with { StartsAt = e.Details.StartsAt.AddDays(7), EndsAt = e.Details.EndsAt.AddDays(7) }, EventBuilders.Now);

        var outcome = (await Handler().HandleAsync(message, CancellationToken.None)).Mail!;

        Assert.Empty(sent);
        Assert.Equal("superseded", outcome.Note);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.EventReminder && i.DueAt == e.Details.StartsAt - Lead), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EventMovedToWithinTheLead_IsRemindedAtOnce_AndTheOldReminderSendsNothing()
    {
        var attendee = Register();
        var old = Reminder();
        e.Update(e.Details with { StartsAt = EventBuilders.Now.AddHours(18), EndsAt = EventBuilders.Now.AddHours(20), RegistrationDeadline = EventBuilders.Now.AddHours(17) }, EventBuilders.Now);
        var moved = EventWork.MovedReminder(e, Lead, EventBuilders.Now)!.ToMessage();

        time.Advance(EventWork.WriteGrace);
        var outcome = (await Handler().HandleAsync(moved, CancellationToken.None)).Mail!;

        Assert.Equal(1, outcome.Sent);
        Assert.Single(sent);
        sends.Verify(s => s.ClaimAsync(PendingNotice.ReminderId(e), attendee.AlumnusId.Value, It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Once);

        time.SetUtcNow(old.DueAt);
        var stale = (await Handler().HandleAsync(old, CancellationToken.None)).Mail!;

        Assert.Equal(0, stale.Sent);
        Assert.Single(sent);
    }

    [Fact]
    public async Task ReminderDueAtOnceForAStartThatHasPassed_SendsNothing()
    {
        Register();
        e.Update(e.Details with { StartsAt = EventBuilders.Now.AddHours(18), EndsAt = EventBuilders.Now.AddHours(20), RegistrationDeadline = EventBuilders.Now.AddHours(17) }, EventBuilders.Now);
        var moved = EventWork.MovedReminder(e, Lead, EventBuilders.Now)!.ToMessage();

        time.Advance(TimeSpan.FromHours(19));
        var outcome = (await Handler().HandleAsync(moved, CancellationToken.None)).Mail!;

        Assert.Equal(0, outcome.Sent);
        Assert.Empty(sent);
    }

    [Fact]
    public async Task SameReminderTwice_UsesOneCampaignIdSoTheLedgerSendsItOnce()
    {
        Register().MarkNoticed(e, true);

        await Handler().HandleAsync(Reminder(), CancellationToken.None);
        await Handler().HandleAsync(Reminder(), CancellationToken.None);

        var id = $"event-{e.Id}-reminder-{e.Details.StartsAt.ToUnixTimeSeconds()}";
        sends.Verify(s => s.ClaimAsync(id, It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ReminderAfterAnEditThatKeepsTheStart_KeepsItsCampaignIdSoNobodyIsRemindedTwice()
    {
        Register().MarkNoticed(e, true);
        var message = Reminder();
        await Handler().HandleAsync(message, CancellationToken.None);

        e.Update(e.Details with { Venue = "新会場" }, EventBuilders.Now);
        await Handler().HandleAsync(message, CancellationToken.None);

        sends.Verify(s => s.ClaimAsync(It.Is<string>(c => c.Contains("-reminder-", StringComparison.Ordinal)), It.IsAny<string>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        sends.Verify(s => s.ClaimAsync(PendingNotice.ReminderId(e), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public void ReminderOfAMovedEvent_HasANewCampaignId()
    {
        var before = PendingNotice.ReminderId(e);

        e.Update(e.Details with { StartsAt = e.Details.StartsAt.AddDays(7), EndsAt = e.Details.EndsAt.AddDays(7) }, EventBuilders.Now);

        Assert.NotEqual(before, PendingNotice.ReminderId(e));
    }

    [Fact]
    public async Task ConfirmationSentButNotMarked_WhenTheEventChanges_GoesAgainWithTheNewDetailsAndCalendar()
    {
        var rsvp = Register(Locale.English);
        var alreadySent = PendingNotice.For(e, rsvp)!.CampaignId;
        sends.Setup(s => s.ClaimAsync(alreadySent, It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<SendPolicy>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendClaimResult(ClaimStatus.Final, State: SendState.Sent));

        e.Update(e.Details with { Venue = "New hall" }, EventBuilders.Now);
        await Handler().HandleAsync(Notices(), CancellationToken.None);

        var mail = Assert.Single(sent);
        Assert.Contains("New hall", mail.Text, StringComparison.Ordinal);
        var ics = Encoding.UTF8.GetString(Assert.Single(mail.Attachments).Content);
        Assert.Contains("METHOD:REQUEST", ics, StringComparison.Ordinal);
        Assert.Contains("New hall", ics, StringComparison.Ordinal);
        Assert.False(rsvp.NoticePending(e));
        Assert.True(rsvp.CalendarSent);
    }

    [Fact]
    public async Task WaitlistedAfterHoldingASeatWithACalendarEntry_GetsACalendarCancel()
    {
        var rsvp = Register(Locale.English);
        rsvp.MarkNoticed(e, calendarSent: true);
        e.Decline(rsvp, rsvp.AlumnusId, null, EventBuilders.Now);
        Register().MarkNoticed(e, calendarSent: true);
        e.Attend(rsvp, rsvp.AlumnusId, EventBuilders.Now);

        await Handler().HandleAsync(EventWork.Notices(e.Id, EventBuilders.Now, rsvp.AlumnusId).ToMessage(), CancellationToken.None);

        var mail = Assert.Single(sent);
        Assert.StartsWith("You are on the waitlist", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("removes the event from your calendar", mail.Text, StringComparison.Ordinal);
        Assert.Contains("METHOD:CANCEL", Encoding.UTF8.GetString(Assert.Single(mail.Attachments).Content), StringComparison.Ordinal);
        Assert.False(rsvp.CalendarSent);
    }
}

using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class WithdrawDepartureTests
{
    private static readonly DateTimeOffset WithdrawnAt = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    private readonly Mock<IAlumniStore> alumni = new(MockBehavior.Strict);
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
    private readonly List<string> steps = [];

    public WithdrawDepartureTests()
    {
        work.Setup(w => w.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("complete-welcome")).Returns(Task.CompletedTask);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => steps.Add("audit")).Returns(Task.CompletedTask);
        alumni.Setup(a => a.FinishWithdrawalAsync("E12345", "msg_w", It.IsAny<AlumnusId>(), It.IsAny<WithdrawalEnd>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string? _, AlumnusId _, WithdrawalEnd end, CancellationToken _) => steps.Add(end switch
            {
                WithdrawalEnd.RecordKept => "remember-id",
                WithdrawalEnd.RecordRemoved => "release-claim",
                _ => "release-gone-claim",
            })).Returns(Task.CompletedTask);
    }

    private static WithdrawalNotice Notice() => new("E12345", WithdrawnAt) { WebhookId = "msg_w" };

    private WithdrawDeparture Handler() => new(alumni.Object, work.Object, audit.Object, time, NullLogger<WithdrawDeparture>.Instance);

    private void Marks(WithdrawalClaim claim) =>
        alumni.Setup(a => a.MarkWithdrawnAsync("E12345", "msg_w", WithdrawnAt, It.IsAny<CancellationToken>())).Callback(() => steps.Add("mark-claim")).ReturnsAsync(claim);

    private Alumnus Held(AlumnusStatus status)
    {
        var record = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), status);
        if (status != AlumnusStatus.Departed)
        {
            record.InvitedAt = WithdrawnAt.AddDays(-1);
        }

        Marks(new WithdrawalClaim.Held(record.Id, Return: false));
        alumni.Setup(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record);
        return record;
    }

    [Fact]
    public async Task NotYetInvited_MarksTheClaimThenRemovesTheWelcomeThenTheRecordThenReleasesTheClaim()
    {
        var record = Held(AlumnusStatus.Departed);
        alumni.Setup(a => a.DeleteWithdrawnAsync(record, It.IsAny<CancellationToken>())).Callback(() => steps.Add("delete-record")).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null), result);
        Assert.Equal(["mark-claim", "complete-welcome", "delete-record", "release-claim"], steps);
        var welcome = SendWelcomeInvitation.WorkItemFor(record);
        work.Verify(w => w.CompleteAsync(welcome.PartitionKey, welcome.RowKey, It.IsAny<CancellationToken>()));
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RecordChangedBeforeItsRemoval_IsDecidedAgain_AndAnInvitationMeanwhileIsFlaggedNotRemoved()
    {
        var record = Held(AlumnusStatus.Departed);
        var invited = Builders.Alumnus(record.WelcomeDueAt, AlumnusStatus.Invited);
        invited.InvitedAt = WithdrawnAt;
        alumni.SetupSequence(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record).ReturnsAsync(invited);
        alumni.Setup(a => a.DeleteWithdrawnAsync(record, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        alumni.Setup(a => a.TryUpdateAsync(invited, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(WithdrawalDisposition.Flagged, result.Disposition);
        Assert.Equal(WithdrawnAt, invited.DepartureWithdrawnAt);
        alumni.Verify(a => a.FinishWithdrawalAsync("E12345", "msg_w", record.Id, WithdrawalEnd.RecordRemoved, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(AlumnusStatus.Invited)]
    [InlineData(AlumnusStatus.Joined)]
    public async Task InvitedOrJoined_IsFlaggedAndAudited_BeforeTheWrite_NeverRemoved(AlumnusStatus status)
    {
        var record = Held(status);
        alumni.Setup(a => a.TryUpdateAsync(record, It.IsAny<CancellationToken>())).Callback(() => steps.Add("flag-record")).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Flagged, record.Id), result);
        Assert.Equal(["mark-claim", "audit", "flag-record", "remember-id"], steps);
        Assert.Equal(WithdrawnAt, record.DepartureWithdrawnAt);
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(e => e.Actor == WithdrawDeparture.AuditActor && e.Action == WithdrawDeparture.FlaggedAuditAction &&
            e.Subject == record.Id.Value && e.Detail == $"status={status}"), It.IsAny<CancellationToken>()));
        alumni.Verify(a => a.DeleteWithdrawnAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task FlagWriteLost_RecordGoneMeanwhile_IsAuditedAsNotSaved_SoNoFlagEntryStandsAlone()
    {
        var record = Held(AlumnusStatus.Invited);
        alumni.SetupSequence(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record).ReturnsAsync((Alumnus?)null);
        alumni.Setup(a => a.TryUpdateAsync(record, It.IsAny<CancellationToken>())).Callback(() => steps.Add("flag-record")).ReturnsAsync(false);
        var entries = new List<AuditEntry>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => entries.Add(e)).Returns(Task.CompletedTask);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null), result);
        Assert.Equal(["mark-claim", "flag-record", "release-gone-claim"], steps);
        Assert.Equal([WithdrawDeparture.FlaggedAuditAction, UnsavedChange.NotSavedAction(WithdrawDeparture.FlaggedAuditAction)], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((WithdrawDeparture.AuditActor, record.Id.Value), (e.Actor, e.Subject)));
    }

    [Fact]
    public async Task FlaggedAlready_ByAnAttemptThatDiedBeforeKeepingTheId_IsNotAuditedOrWrittenAgain()
    {
        var record = Held(AlumnusStatus.Joined);
        record.DepartureWithdrawnAt = WithdrawnAt;

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(WithdrawalDisposition.Flagged, result.Disposition);
        Assert.Equal(["mark-claim", "remember-id"], steps);
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ThroughAReturnClaim_TheRecordIsFlaggedNotRemoved()
    {
        // The record belongs to the employee id the person first left under; HR withdrew a later one.
        var record = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Marks(new WithdrawalClaim.Held(record.Id, Return: true));
        alumni.Setup(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record);
        alumni.Setup(a => a.TryUpdateAsync(record, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(WithdrawalDisposition.Flagged, result.Disposition);
        alumni.Verify(a => a.DeleteWithdrawnAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RecordGoneUnderAMarkedClaim_AfterACrash_OnlyReleasesTheClaim()
    {
        var id = AlumnusId.New();
        Marks(new WithdrawalClaim.Held(id, Return: false));
        alumni.Setup(a => a.GetAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(WithdrawalDisposition.Withdrawn, result.Disposition);
        Assert.Equal(["mark-claim", "release-gone-claim"], steps);
    }

    [Fact]
    public async Task UnknownEmployee_IsWithdrawnWithTheMarkAlone()
    {
        Marks(new WithdrawalClaim.Unheld());

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null), result);
        Assert.Equal(["mark-claim"], steps);
        work.VerifyNoOtherCalls();
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RedeliveredWithdrawal_OfAFlaggedRecord_ChangesNothing_AndAnswersFlagged()
    {
        var record = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Invited);
        record.DepartureWithdrawnAt = WithdrawnAt;
        Marks(new WithdrawalClaim.Handled(record.Id, WithdrawnAt.AddDays(-3)));
        alumni.Setup(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Flagged, record.Id), result);
        Assert.Equal(["mark-claim"], steps);
        work.VerifyNoOtherCalls();
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RedeliveredWithdrawal_ThatFoundNothing_ChangesNothing_AndAnswersWithdrawn()
    {
        Marks(new WithdrawalClaim.Handled(null, WithdrawnAt.AddDays(-3)));

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Withdrawn, null), result);
        Assert.Equal(["mark-claim"], steps);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task RedeliveredWithdrawal_WhoseHolderIsANewerDeparturesUnflaggedRecord_AnswersDepartedSince_NotFlagged()
    {
        // Superseded at first, or an unknown employee's withdrawal followed by a newer departure: never flagged.
        var record = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Marks(new WithdrawalClaim.Handled(record.Id, WithdrawnAt.AddHours(1)));
        alumni.Setup(a => a.GetAsync(record.Id, It.IsAny<CancellationToken>())).ReturnsAsync(record);

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Superseded, null), result);
        Assert.Null(record.DepartureWithdrawnAt);
        Assert.Equal(["mark-claim"], steps);
        work.VerifyNoOtherCalls();
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task WithdrawalOlderThanADepartureAppliedSince_ChangesNothing()
    {
        Marks(new WithdrawalClaim.Superseded());

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(new WithdrawDepartureResult(WithdrawalDisposition.Superseded, null), result);
        Assert.Equal(["mark-claim"], steps);
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ErasedEmployee_ChangesNothing()
    {
        Marks(new WithdrawalClaim.Erased());

        var result = await Handler().HandleAsync(Notice(), CancellationToken.None);

        Assert.Equal(WithdrawalDisposition.Erased, result.Disposition);
        work.VerifyNoOtherCalls();
    }
}

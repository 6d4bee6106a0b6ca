using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>An answer through a link checked in the moment the alumnus's erasure began is answered as erased (ADR 0007).</summary>
public sealed class AnswerCollaborationRequestTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ICollaborationStore> store = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly LinkTokenService tokens;
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);
    private readonly CollaborationRequest sent;

    public AnswerCollaborationRequestTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        sent = new CollaborationRequest(CollaborationRequest.NewId(), alumnus.Id, RequesterKind.Employee, "佐藤 一郎", "法人営業部",
            EmailAddress.Parse("sato@corp.example.com"), "決済分野での共同提案", Confidentiality.Normal, RequestStatus.Sent, Now.AddDays(-3), "admin-1") { ETag = "e1" };
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => alumnus);
        store.Setup(s => s.GetRequestAsync(alumnus.Id, sent.Id, It.IsAny<CancellationToken>())).ReturnsAsync(sent);
        store.Setup(s => s.TryUpdateRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private Task<AnswerView> AcceptAsync() =>
        new AnswerCollaborationRequest(new SignedLinkAccess(tokens, alumni.Object), store.Object,
                new Core.Privacy.ErasureRecheck(alumni.Object, work.Object, time, NullLogger<Core.Privacy.ErasureRecheck>.Instance), work.Object, time,
                NullLogger<AnswerCollaborationRequest>.Instance)
            .AnswerAsync(tokens.Issue(LinkPurpose.CollaborationAnswer, alumnus, sent.Id), CollaborationAnswer.Accept, CancellationToken.None);

    [Fact]
    public async Task NoErasure_TheAcceptanceIsRecorded_AndTheRequesterIsToBeTold()
    {
        var view = await AcceptAsync();

        Assert.Equal(AnswerPageStatus.Recorded, view.Status);
        Assert.Equal(RequestStatus.Accepted, view.Request!.Status);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.CollaborationAnswer), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Accepted_TheRequesterIsToldOnlyAfterTheWriteGrace_SoTheWorkCannotRunBeforeTheAnswerLands()
    {
        var due = new List<DateTimeOffset>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()))
            .Callback((WorkItem i, CancellationToken _) => due.Add(i.DueAt)).Returns(Task.CompletedTask);

        await AcceptAsync();

        // Due at once, the answer's work could find the request unanswered, complete, and the requester never hear.
        Assert.True(Assert.Single(due) >= Now + IntentWork.WriteGrace);
    }

    [Fact]
    public async Task AcceptanceWrittenSlowly_TheRequesterIsToldByWorkWrittenAgainAfterTheAnswer()
    {
        var written = false;
        var afterAnswer = new List<WorkItem>();
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()))
            .Callback((WorkItem i, CancellationToken _) => { if (written) { afterAnswer.Add(i); } }).Returns(Task.CompletedTask);
        store.Setup(s => s.TryUpdateRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<CancellationToken>()))
            .Callback(() => { time.Advance(IntentWork.WriteGrace); written = true; }).ReturnsAsync(true);

        await AcceptAsync();

        Assert.Contains(afterAnswer, i => i.Kind == WorkKinds.CollaborationAnswer && i.SubjectId == $"{alumnus.Id.Value}-{sent.Id}");
    }

    [Fact]
    public async Task ErasureBeganWhileTheAcceptanceWasWritten_AnswersAsErased_ShowingNobody()
    {
        store.Setup(s => s.TryUpdateRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumnus.ErasureStartedAt = Now).ReturnsAsync(true);

        var view = await AcceptAsync();

        Assert.Equal(AnswerPageStatus.Gone, view.Status);
        Assert.Null(view.Alumnus);
        Assert.Null(view.Request);
    }

    [Fact]
    public async Task ErasureRemovedTheRequestUnderTheAcceptance_AnswersAsErased()
    {
        // The ETag write fails on the removed row; read again, the request is gone and the row flagged.
        store.SetupSequence(s => s.GetRequestAsync(alumnus.Id, sent.Id, It.IsAny<CancellationToken>())).ReturnsAsync(sent).ReturnsAsync((CollaborationRequest?)null);
        store.Setup(s => s.TryUpdateRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumnus.ErasureStartedAt = Now).ReturnsAsync(false);

        var view = await AcceptAsync();

        Assert.Equal(AnswerPageStatus.Gone, view.Status);
        Assert.Null(view.Alumnus);
    }

    [Fact]
    public async Task RequestRemovedUnderTheAcceptanceWithNoErasure_IsNotFound_NotTheFormAgain()
    {
        store.SetupSequence(s => s.GetRequestAsync(alumnus.Id, sent.Id, It.IsAny<CancellationToken>())).ReturnsAsync(sent).ReturnsAsync((CollaborationRequest?)null);
        store.Setup(s => s.TryUpdateRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var view = await AcceptAsync();

        Assert.Equal(AnswerPageStatus.NotFound, view.Status);
        Assert.Null(view.Request);
    }
}

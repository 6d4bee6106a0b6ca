using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Tests.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>A card review: audited before it is written, and a write lost to the alumnus's change says so in the log.</summary>
public sealed class ModerateCardsTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<ICollaborationStore> store = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;
    private readonly CollaborationCard card = new(AlumnusId.New(), new Dictionary<CardField, string> { [CardField.Company] = "Acme" },
        Industry.Finance, true, true, false, CardStatus.PendingReview, Now.AddHours(-1));

    public ModerateCardsTests()
    {
        audited = audit.Captures();
        store.Setup(s => s.GetCardAsync(card.AlumnusId, It.IsAny<CancellationToken>())).ReturnsAsync(card);
        store.Setup(s => s.TrySaveCardAsync(It.IsAny<CollaborationCard>(), It.IsAny<CancellationToken>())).ReturnsAsync((CollaborationCard c, CancellationToken _) => c);
    }

    private Task<AdminOutcome<CollaborationCard>> ReviewAsync(string decision, string reason = "") =>
        new ModerateCards(store.Object, audit.Object, new FakeTimeProvider(Now), NullLogger<ModerateCards>.Instance)
            .ReviewAsync(card.AlumnusId.Value, new CardReview(decision, reason), null, "admin-3", CancellationToken.None);

    [Fact]
    public async Task Approval_IsAuditedOnce_AndListsTheCard()
    {
        var saved = Assert.IsType<AdminOutcome<CollaborationCard>.Done>(await ReviewAsync("approve")).Value;

        Assert.Equal(CardStatus.Listed, saved.Status);
        var entry = Assert.Single(audited);
        Assert.Equal((CollaborationAuditActions.CardApproved, card.AlumnusId.Value, "listed"), (entry.Action, entry.Subject, entry.Detail));
    }

    [Theory]
    [InlineData("approve", CollaborationAuditActions.CardApproved)]
    [InlineData("reject", CollaborationAuditActions.CardRejected)]
    public async Task ReviewLostToTheAlumnusChange_IsAConflict_AndTheLogSaysItWasNotSaved(string decision, string action)
    {
        store.Setup(s => s.TrySaveCardAsync(It.IsAny<CollaborationCard>(), It.IsAny<CancellationToken>())).ReturnsAsync((CollaborationCard?)null);

        Assert.IsType<AdminOutcome<CollaborationCard>.Conflict>(await ReviewAsync(decision, "電話番号は掲載できません"));

        // Audit first (ADR 0005): the decision is logged before the write; the entry after it says the write did not happen.
        Assert.Equal([action, CollaborationAuditActions.CardReviewNotSaved], audited.Select(e => e.Action));
        var notSaved = audited[^1];
        Assert.Equal((card.AlumnusId.Value, "admin-3", $"{decision} not saved: the card changed meanwhile"), (notSaved.Subject, notSaved.Actor, notSaved.Detail));
        Assert.All(audited, e => Assert.DoesNotContain("電話番号", e.Detail, StringComparison.Ordinal));
    }

    /// <summary>The textarea counts a line break as one character but sends CRLF: the reason is measured and kept with LF.</summary>
    [Fact]
    public async Task RejectionReasonOfTheMostCharactersWithCrlfLineBreaks_IsAccepted_AndKeptWithLf()
    {
        var reason = string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 5)) + "x";

        var saved = Assert.IsType<AdminOutcome<CollaborationCard>.Done>(await ReviewAsync("reject", reason)).Value;

        Assert.Equal(CardReview.MaxReasonLength, saved.RejectionReason?.Length);
        Assert.Equal(reason.Replace("\r\n", "\n", StringComparison.Ordinal), saved.RejectionReason);
        Assert.Equal($"rejected; reason-chars={CardReview.MaxReasonLength}", Assert.Single(audited).Detail);
    }

    [Fact]
    public async Task RejectionReasonOfOneCharacterTooMany_IsRefusedNamingIt_AndNothingIsAuditedOrSaved()
    {
        var reason = string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 5)) + "xx";

        var invalid = Assert.IsType<AdminOutcome<CollaborationCard>.Invalid>(await ReviewAsync("reject", reason));

        Assert.Equal(CardReview.ReasonField, Assert.Single(invalid.Errors).Field);
        Assert.Empty(audited);
        store.Verify(s => s.TrySaveCardAsync(It.IsAny<CollaborationCard>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>The alumnus is shown the reason: it must read as it is, so text-direction and line-separator characters are refused.</summary>
    [Theory]
    [InlineData("Please \u202Eredisnoc\u202C again.")]
    [InlineData("一行目\u2028二行目")]
    [InlineData("\u2067内容\u2069")]
    public async Task RejectionReasonWithMisleadingCharacters_IsRefusedNamingIt_AndNothingIsAuditedOrSaved(string reason)
    {
        var invalid = Assert.IsType<AdminOutcome<CollaborationCard>.Invalid>(await ReviewAsync("reject", reason));

        Assert.Equal(new Core.Validation.FieldError(CardReview.ReasonField, Core.Validation.FreeText.MisleadingRule), Assert.Single(invalid.Errors));
        Assert.Empty(audited);
        store.Verify(s => s.TrySaveCardAsync(It.IsAny<CollaborationCard>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;

namespace AlumniNetwork.Core.Tests.Collaboration;

public sealed class CardFormTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlumnusId Id = AlumnusId.New();

    private static (CollaborationCard Card, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(params (string Key, string? Value)[] changes)
    {
        var fields = new Dictionary<string, string?> { ["Company"] = " 山田商事 ", ["Offer"] = "決済の導入支援", ["Industry"] = "Finance", ["VisibleToMembers"] = "yes" };
        foreach (var (key, value) in changes)
        {
            fields[key] = value;
        }

        return new CardForm(fields).Parse(Id, Now);
    }

    [Fact]
    public void ValidCard_AwaitsReview_WithTrimmedValues()
    {
        var (card, errors) = Parse(("VisibleToEmployees", "yes"), ("RequestsPaused", null));

        Assert.Empty(errors);
        Assert.Equal((CardStatus.PendingReview, "山田商事", true, true, false), (card.Status, card.ValueOf(CardField.Company), card.VisibleToMembers, card.VisibleToEmployees, card.RequestsPaused));
    }

    [Theory]
    [InlineData("Company", "", "Company")]
    [InlineData("Offer", "   ", "Offer")]
    [InlineData("Location", "x", "Location", 201)]
    [InlineData("Offer", "x", "Offer", 1001)]
    [InlineData("Skills", "C#\u0000", "Skills")]
    [InlineData("Industry", "Banking", "Industry")]
    [InlineData("Industry", "0", "Industry")]
    [InlineData("VisibleToMembers", "on", "VisibleToMembers")]
    [InlineData("Offer", "支援\u202E", "Offer")]
    [InlineData("Company", "山田\u2028商事", "Company")]
    public void BadField_IsReportedByName(string key, string unit, string field, int repeat = 1) =>
        Assert.Equal(field, Assert.Single(Parse((key, string.Concat(Enumerable.Repeat(unit, repeat)))).Errors).Field);

    [Fact]
    public void CardShownToNobody_IsRefused() =>
        Assert.Equal("VisibleToMembers", Assert.Single(Parse(("VisibleToMembers", null)).Errors).Field);

    [Fact]
    public void ChangeOfContent_GoesBackToReview_ButPausingDoesNot()
    {
        var listed = Parse().Card with { Status = CardStatus.Listed, ETag = "e1" };

        var paused = (Parse(("RequestsPaused", "yes")).Card with { SubmittedAt = Now.AddDays(1) }).SubmittedOver(listed);
        var changed = Parse(("Offer", "別の支援")).Card.SubmittedOver(listed);

        Assert.Equal(CardStatus.Listed, paused.Status);
        Assert.Equal(CardStatus.PendingReview, changed.Status);
    }

    [Fact]
    public void OfferAtTheLimitWithBrowserLineBreaks_IsAccepted_AndStoredWithLfOnly()
    {
        var offer = string.Concat(Enumerable.Repeat(new string('x', 99) + "\r\n", 10))[..^2] + "x";

        var (card, errors) = Parse(("Offer", offer));

        Assert.Empty(errors);
        Assert.Equal(1000, card.ValueOf(CardField.Offer).Length);
        Assert.DoesNotContain('\r', card.ValueOf(CardField.Offer));
    }
}

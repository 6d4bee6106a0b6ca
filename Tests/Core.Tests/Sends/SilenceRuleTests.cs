using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Tests.Sends;

/// <summary>
/// What the provider's silence about a request says (ADR 0024): "never arrived" only when the event webhook accepted
/// posts from before the request until a whole window after it; otherwise wait for SendGrid's retries, then give up.
/// </summary>
public sealed class SilenceRuleTests
{
    private static readonly DateTimeOffset Requested = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly SilenceRule Rule = new SendingOptions().Silence;

    private static (SilenceVerdict, DateTimeOffset) Judge(double hoursLater, WebhookRun? run) =>
        Rule.Judge(Requested, Requested, Requested.AddHours(hoursLater), run);

    private static WebhookRun Run(double sinceHours, double throughHours) => new(Requested.AddHours(sinceHours), Requested.AddHours(throughHours));

    [Fact]
    public void Defaults_WindowOneHour_LimitPastSendGridsDayOfRetries_GapFiveMinutes_NotedEveryMinute()
    {
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(25), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)), (Rule.Window, Rule.Limit, Rule.Gap, Rule.NoteEvery));
    }

    [Fact]
    public void WithinTheWindow_WaitsForItsEnd()
    {
        Assert.Equal((SilenceVerdict.Wait, Requested.AddHours(1)), Judge(0.5, Run(-1, 0.5)));
    }

    [Fact]
    public void NoAcceptedPostEver_WaitsAndLooksAgainOnceAWindow()
    {
        Assert.Equal((SilenceVerdict.Wait, Requested.AddHours(2.5)), Judge(1.5, null));
    }

    [Fact]
    public void AcceptedThroughoutFromBeforeTheRequestToPastTheWindow_NeverArrived()
    {
        Assert.Equal(SilenceVerdict.NotArrived, Judge(1.1, Run(-2, 1.05)).Item1);
    }

    [Fact]
    public void StretchBeganAfterTheRequest_WaitsEvenThoughPostsAreAcceptedNow()
    {
        // A deploy or a storage outage at the time of the request: the request's events may sit in SendGrid's retries.
        Assert.Equal((SilenceVerdict.Wait, Requested.AddHours(3)), Judge(2, Run(0.2, 2)));
    }

    [Fact]
    public void StretchStillGoingButShortOfTheWindow_LooksAgainAfterOneGap()
    {
        var now = Requested.AddHours(1).AddSeconds(30);
        Assert.Equal((SilenceVerdict.Wait, now + Rule.Gap), Rule.Judge(Requested, Requested, now, Run(-1, 0.99)));
    }

    [Fact]
    public void SeveralRequests_TheStretchMustCoverFromTheFirstToAWindowAfterTheLast()
    {
        var last = Requested.AddMinutes(20);
        var run = Run(-1, 1.2);

        Assert.Equal(SilenceVerdict.Wait, Rule.Judge(Requested, last, Requested.AddHours(1.4), run).Verdict);
        Assert.Equal(SilenceVerdict.NotArrived, Rule.Judge(Requested, last, Requested.AddHours(1.4), run with { Through = last.AddHours(1) }).Verdict);
    }

    [Theory]
    [InlineData(24.9, SilenceVerdict.Wait)]
    [InlineData(25, SilenceVerdict.GiveUp)]
    [InlineData(30, SilenceVerdict.GiveUp)]
    public void NeverCoveredUntilSendGridsRetriesEnd_GivesUp(double hoursLater, SilenceVerdict expected)
    {
        Assert.Equal(expected, Judge(hoursLater, Run(0.5, hoursLater)).Item1);
    }

    [Fact]
    public void WaitNeverRunsPastTheLimit()
    {
        Assert.Equal((SilenceVerdict.Wait, Requested.AddHours(25)), Judge(24.5, null));
    }
}

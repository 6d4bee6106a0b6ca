using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class SurveyWaveComposerTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly FakeTimeProvider time = new(Now);
    private readonly Survey survey;
    private readonly SurveyWave wave;
    private readonly HashSet<string> answered = new(StringComparer.Ordinal);

    public SurveyWaveComposerTests()
    {
        survey = Published(Content(SurveyMode.Anonymous) with { Title = new("退職者アンケート <b>", "Alumni survey <b>") });
        wave = new SurveyWave(survey.Id, 1, "w01");
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(survey);
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(() => survey.Current);
        surveys.Setup(s => s.KeyAsync(survey.Id, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(Key);
        responses.Setup(r => r.RespondentsAsync(wave, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(answered);
    }

    private AlumniLinks Links => new(new LinkTokenService(Builders.Links(), time), Builders.Company());

    private SurveyWaveComposer Composer() => new(surveys.Object, responses.Object, Links, Builders.Links(), Builders.Company(), time);

    private string Original => SurveyCampaigns.IdOf(wave, new DateOnly(2027, 3, 1));

    private Task<ICampaignMail?> LoadAsync(string campaignId) => Composer().LoadAsync(campaignId, CancellationToken.None);

    private static Alumnus Member(params string[] contactedBy)
    {
        var alumnus = Builders.Alumnus(Now.AddDays(-100), AlumnusStatus.Joined, Locale.English);
        alumnus.Contacts = contactedBy.Select(c => new OutreachContact(c, 1, Now.AddDays(-7))).ToArray();
        return alumnus;
    }

    [Fact]
    public async Task Reminder_GoesToThoseTheWaveReachedWhoHaveNotAnswered()
    {
        var reminded = Member(Original);

        var mail = (await LoadAsync(SurveyCampaigns.ReminderOf(Original)))!;

        Assert.True(mail.Includes(reached: reminded));
    }

    [Fact]
    public async Task AnonymousReminder_ReachesWhoAnswered_AndWhoDidNot_Alike()
    {
        // Left out of the reminder, an answerer's sends and contacts would say for good that they answered.
        var answerer = Member(Original);
        var silent = Member(Original);
        answered.UnionWith([SurveyPseudonym.Of(Key, wave, answerer.Id), SurveyPseudonym.Unwaved(Key, answerer.Id), answerer.Id.Value]);

        var mail = (await LoadAsync(SurveyCampaigns.ReminderOf(Original)))!;

        Assert.True(mail.Includes(reached: answerer));
        Assert.True(mail.Includes(reached: silent));
        responses.Verify(r => r.RespondentsAsync(It.IsAny<SurveyWave>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(SurveyMode.Anonymous, Locale.Japanese, "ご回答済みの方は行き違いをご容赦ください。", "まだご回答いただいていない")]
    [InlineData(SurveyMode.Anonymous, Locale.English, "If you have already answered, thank you", "We have not yet had your answer")]
    [InlineData(SurveyMode.Attributed, Locale.Japanese, "まだご回答いただいていない", "ご回答済みの方")]
    [InlineData(SurveyMode.Attributed, Locale.English, "We have not yet had your answer", "If you have already answered")]
    public void ReminderWording_ThanksWhoAnswered_OnlyWhereItReachesThem(SurveyMode mode, Locale locale, string said, string notSaid)
    {
        var template = SurveyEmail.Template(Content(mode), locale, "Example", reminder: true, closesAt: null, new CompanyCalendar(Builders.Company()));

        Assert.Contains(said, template.Text, StringComparison.Ordinal);
        Assert.Contains(said, System.Net.WebUtility.HtmlDecode(template.Html), StringComparison.Ordinal);
        Assert.DoesNotContain(notSaid, template.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reminder_LeavesOutWhomTheWaveNeverReached()
    {
        var mail = (await LoadAsync(SurveyCampaigns.ReminderOf(Original)))!;

        Assert.False(mail.Includes(reached: Member()));
        Assert.False(mail.Includes(reached: Member(SurveyCampaigns.IdOf(new SurveyWave(survey.Id, 1, "w02"), new DateOnly(2027, 3, 1)))));
    }

    [Fact]
    public async Task AttributedReminder_RecognisesWhoAnsweredByTheirId()
    {
        var attributed = Published(Content(SurveyMode.Attributed));
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(attributed);
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(attributed.Current);
        var member = Member(Original);
        answered.Add(member.Id.Value);

        var mail = (await LoadAsync(SurveyCampaigns.ReminderOf(Original)))!;

        Assert.False(mail.Includes(reached: member));
        Assert.True(mail.Includes(reached: Member(Original)));
    }

    [Fact]
    public async Task Wave_LeavesOutWhomAnotherCampaignOfTheSameWaveAsked()
    {
        var askedBefore = Member(SurveyCampaigns.IdOf(wave, new DateOnly(2027, 2, 27)));
        var remindedElsewhere = Member(SurveyCampaigns.IdOf(new SurveyWave(survey.Id, 1, "w02"), new DateOnly(2026, 9, 1)), "newsletter-2027-02");

        var mail = (await LoadAsync(Original))!;

        Assert.False(mail.Includes(reached: askedBefore));
        Assert.True(mail.Includes(reached: remindedElsewhere));
        Assert.True(mail.Includes(reached: Member(Original)));
    }

    [Fact]
    public async Task ClosedSurvey_SendsNothing()
    {
        survey.Close(Now);

        Assert.Null(await LoadAsync(Original));
    }

    [Fact]
    public async Task UnknownCampaignId_SendsNothing() => Assert.Null(await LoadAsync("survey-nothing"));

    [Fact]
    public async Task Mail_RefusesClickAndOpenTracking()
    {
        var mail = (await LoadAsync(Original))!;

        Assert.Equal((false, false), (mail.TracksClicks, mail.TracksOpens));
    }

    [Theory]
    [InlineData(Locale.Japanese, "【Example &lt;Holdings&gt; &amp; Co】アンケートご協力のお願い")]
    [InlineData(Locale.English, "Example &lt;Holdings&gt; &amp; Co: Alumni survey")]
    public async Task Template_EmbedsEveryScoreAsALinkOnTheOneSignedLink(Locale locale, string subjectStart)
    {
        var template = (await LoadAsync(Original))!.Template(locale);

        Assert.StartsWith(System.Net.WebUtility.HtmlDecode(subjectStart), template.Subject, StringComparison.Ordinal);
        foreach (var score in Enumerable.Range(0, 11))
        {
            Assert.Contains($"href=\"{{{{survey_url}}}}&amp;score={score}\"", template.Html, StringComparison.Ordinal);
            Assert.Contains($"{{{{survey_url}}}}&score={score}", template.Text, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;b&gt;", template.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", template.Html, StringComparison.Ordinal);
        Assert.Contains(SurveyEmail.ModeNote(survey.Current!, locale), template.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_CountsWhoItLeavesOut_WithoutADecisionPerPerson()
    {
        // An attributed reminder leaves out who answered since it was planned: a dated decision per person would date the answer.
        var mail = (await LoadAsync(SurveyCampaigns.ReminderOf(Original)))!;

        Assert.True(mail.ExclusionsArePrivate);
    }

    [Theory]
    [InlineData(Locale.Japanese, "回答期限: 2027年4月1日 00:00 (Asia/Tokyo)")]
    [InlineData(Locale.English, "Answers are taken until 1 April 2027, 00:00 (Asia/Tokyo).")]
    public void Deadline_IsInCompanyTime_WithTheZoneNamed(Locale locale, string deadline)
    {
        // 15:00 UTC on 31 March is midnight in Tokyo: the UTC date would be a day early.
        var template = SurveyEmail.Template(Content(), locale, "Example", reminder: false, closesAt: new DateTimeOffset(2027, 3, 31, 15, 0, 0, TimeSpan.Zero),
            new CompanyCalendar(Builders.Company()));

        Assert.Contains(deadline, template.Text, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(deadline), template.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", template.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese, "7件以上集まった集団")]
    [InlineData(Locale.English, "groups of at least 7 people")]
    public void AnonymityNote_StatesTheSurveysOwnThreshold(Locale locale, string note)
    {
        var template = SurveyEmail.Template(Content(k: 7), locale, "Example", reminder: false, closesAt: null, new CompanyCalendar(Builders.Company()));

        Assert.Contains(note, template.Text, StringComparison.Ordinal);
        Assert.Contains(note, template.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("5件以上", template.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese, "5件以上集まった集団", "3件以上")]
    [InlineData(Locale.English, "groups of at least 5 people", "at least 3")]
    public void AnonymityNote_OfAVersionStoredWithKBelowTheFloor_StatesTheThresholdItsResultsUse(Locale locale, string note, string stored)
    {
        // Stored with k=3 before the floor of 5: its results hide groups under 5, so "at least 3" would understate it.
        var template = SurveyEmail.Template(Content(k: 3), locale, "Example", reminder: false, closesAt: null, new CompanyCalendar(Builders.Company()));

        Assert.Contains(note, template.Text, StringComparison.Ordinal);
        Assert.Contains(note, template.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, template.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(stored, template.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese, "記述式のご回答は、お名前を除いたうえで、書かれたとおりに社内で読まれます。ご自身が特定される内容は書かないでください。")]
    [InlineData(Locale.English, "Written answers are read as you wrote them, without your name: leave out anything that identifies you.")]
    public void AnonymityNote_OfAVersionWithAFreeTextQuestion_SaysWrittenAnswersAreReadAsWritten(Locale locale, string note)
    {
        // "Totals only" is not true of free text: insights viewers read the comments word for word (ADR 0026).
        var calendar = new CompanyCalendar(Builders.Company());
        var withText = SurveyEmail.Template(Content(questions: [Scale(), Why()]), locale, "Example", reminder: false, closesAt: null, calendar);
        var withoutText = SurveyEmail.Template(Content(questions: [Scale(), Return()]), locale, "Example", reminder: false, closesAt: null, calendar);
        var attributed = SurveyEmail.Template(Content(SurveyMode.Attributed, questions: [Scale(), Why()]), locale, "Example", reminder: false, closesAt: null, calendar);

        Assert.Contains(note, withText.Text, StringComparison.Ordinal);
        Assert.Contains(note, withText.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(note, withoutText.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(note, attributed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_AreOneSignedSurveyLinkBoundToTheWave_WellUnderTheProvidersSubstitutionLimit()
    {
        var member = Member();
        var mail = (await LoadAsync(Original))!;

        var values = mail.Values(member);
        var footer = new PromotionalFooter(Links, Builders.Company(), Builders.Outreach());
        var substitutions = Placeholders.Substitutions(values.Concat(footer.Values(member, Core.Consent.ConsentPurpose.Surveys)).ToDictionary());
        var url = new Uri(values[SurveyEmail.UrlKey]);
        var token = Uri.UnescapeDataString(url.Query["?token=".Length..]);
        var check = new LinkTokenService(Builders.Links(), time).Check(token, LinkPurpose.Survey);

        Assert.Equal("/api/alumni/survey", url.AbsolutePath);
        Assert.Equal((LinkTokenStatus.Valid, member.Id, wave.Scope), (check.Status, check.AlumnusId!.Value, check.Scope));
        Assert.True(substitutions.Sum(s => Encoding.UTF8.GetByteCount(s.Key) + Encoding.UTF8.GetByteCount(s.Value)) < BulkMessage.MaxSubstitutionBytes / 4);
    }

    [Fact]
    public async Task Links_ExpireWhenTheSurveyCloses_IfThatIsSooner()
    {
        var closing = Published(Content() with { ClosesAt = Now.AddDays(3) });
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(closing);
        var member = Member();

        var url = new Uri((await LoadAsync(Original))!.Values(member)[SurveyEmail.UrlKey]);
        time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(LinkTokenStatus.Expired, new LinkTokenService(Builders.Links(), time).Check(Uri.UnescapeDataString(url.Query["?token=".Length..]), LinkPurpose.Survey).Status);
    }
}

internal static class CampaignMailExtensions
{
    public static bool Includes(this ICampaignMail mail, Alumnus reached) => mail.Includes(reached, null);
}

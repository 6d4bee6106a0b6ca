using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class RunSurveyWavesTests
{
    // 1 March 2027, 10:00 in Tokyo: the company's today is 2027-03-01.
    private static readonly DateOnly Today = new(2027, 3, 1);
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly FakeTimeProvider time = new(Now);
    private readonly List<string> events = [];
    private readonly List<CampaignRequest> started = [];
    private readonly List<SurveyCampaign> records = [];
    private readonly List<Alumnus> members = [];
    private readonly Dictionary<int, SurveyContent> versions = [];
    private readonly Survey survey;

    public RunSurveyWavesTests()
    {
        survey = Published(Content(lifecycle: new LifecycleSchedule([new WaveOffset(0, 90), new WaveOffset(12, 0)], 12), reminder: 7), Now.AddDays(-200));
        survey.LifecycleDoneThrough = Today.AddDays(-1);
        versions[1] = survey.Current!;
        surveys.Setup(s => s.GetVersionAsync(survey.Id, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, int version, CancellationToken _) => versions.GetValueOrDefault(version));
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => [survey]);
        surveys.Setup(s => s.GetAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(survey);
        surveys.Setup(s => s.TryUpdateAsync(survey, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        surveys.Setup(s => s.CampaignsAsync(survey.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => records.ToArray());
        surveys.Setup(s => s.TryAddCampaignAsync(survey.Id, It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>()))
            .Callback((string _, SurveyCampaign c, CancellationToken _) => { events.Add("record " + c.CampaignId); records.Add(c); }).ReturnsAsync(true);
        surveys.Setup(s => s.TryUpdateCampaignAsync(survey.Id, It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>()))
            .Callback((string _, SurveyCampaign c, CancellationToken _) => records[records.FindIndex(r => r.CampaignId == c.CampaignId)] = c).ReturnsAsync(true);
        campaigns.Setup(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .Callback((CampaignRequest r, CancellationToken _) => { events.Add("start " + r.CampaignId); started.Add(r); })
            .ReturnsAsync((CampaignRequest r, CancellationToken _) => new CampaignStart.Started(r.CampaignId, true));
        alumni.Setup(a => a.ListMembersPageAsync(It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => (members.ToArray(), null));
    }

    private RunSurveyWaves Run()
    {
        var outreach = Options.Create(new Core.Outreach.OutreachOptions { PostalAddress = "x", EnquiryContact = "y" });
        var manage = new ManageSurveys(surveys.Object, responses.Object, campaigns.Object, Mock.Of<IAuditLog>(), Builders.Creates(), outreach, time, NullLogger<ManageSurveys>.Instance);
        var retention = new SurveyWaveRetention(surveys.Object, responses.Object, Builders.Links(), NullLogger<SurveyWaveRetention>.Instance);
        return new RunSurveyWaves(surveys.Object, manage, retention, campaigns.Object, alumni.Object, new CompanyCalendar(Builders.Company()),
            Options.Create(new SurveyOptions { CatchUpDays = 7 }), time, NullLogger<RunSurveyWaves>.Instance);
    }

    private void MemberWhoLeft(DateOnly lastWorkingDay)
    {
        var member = Builders.Alumnus(Now.AddDays(-300), AlumnusStatus.Joined);
        member.LastWorkingDay = lastWorkingDay;
        members.Add(member);
    }

    private string IdOf(string wave, DateOnly day, bool reminder = false) => SurveyCampaigns.IdOf(new SurveyWave(survey.Id, 1, wave), day, reminder);

    [Fact]
    public async Task MemberDueToday_StartsOneCampaignForTheirWaveAndDay_RecordedBeforeItStarts()
    {
        MemberWhoLeft(Today.AddDays(-90));

        var report = await Run().HandleAsync(CancellationToken.None);

        var request = Assert.Single(started);
        Assert.Equal(1, report.WavesStarted);
        Assert.Equal((IdOf("w01", Today), CampaignKind.Survey, IdOf("w01", Today), "timer"), (request.CampaignId, request.Kind, request.SourceId, request.RequestedBy));
        Assert.Equal((Today.AddDays(-90), Today.AddDays(-90)), (request.Audience.LastWorkingDayFrom, request.Audience.LastWorkingDayTo));
        Assert.Equal(["record " + request.CampaignId, "start " + request.CampaignId], events);
        Assert.Equal(Today, survey.LifecycleDoneThrough);
    }

    [Fact]
    public async Task YearlyRepeat_IsItsOwnWave()
    {
        MemberWhoLeft(Today.AddYears(-3));

        await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(IdOf("w04", Today), Assert.Single(started).CampaignId);
    }

    [Fact]
    public async Task NobodyDue_StartsNoCampaign()
    {
        MemberWhoLeft(Today.AddDays(-91));

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Empty(started);
        Assert.Equal(0, report.WavesStarted);
        Assert.Equal(Today, survey.LifecycleDoneThrough);
    }

    [Fact]
    public async Task DaysMissed_AreCaughtUp_EachOnItsOwnCampaign()
    {
        survey.LifecycleDoneThrough = Today.AddDays(-3);
        MemberWhoLeft(Today.AddDays(-92));
        MemberWhoLeft(Today.AddDays(-91));
        MemberWhoLeft(Today.AddDays(-90));
        MemberWhoLeft(Today.AddDays(-93));

        await Run().HandleAsync(CancellationToken.None);

        Assert.Equal([IdOf("w01", Today.AddDays(-2)), IdOf("w01", Today.AddDays(-1)), IdOf("w01", Today)], started.Select(s => s.CampaignId).Order());
    }

    [Fact]
    public async Task CatchUp_GoesNoFurtherBackThanItsWindow()
    {
        survey.LifecycleDoneThrough = Today.AddDays(-30);
        MemberWhoLeft(Today.AddDays(-90 - 10));
        MemberWhoLeft(Today.AddDays(-90 - 6));

        await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(IdOf("w01", Today.AddDays(-6)), Assert.Single(started).CampaignId);
    }

    [Fact]
    public async Task SecondRunTheSameDay_ReadsNoMemberAndStartsNothing()
    {
        survey.LifecycleDoneThrough = Today;
        MemberWhoLeft(Today.AddDays(-90));

        await Run().HandleAsync(CancellationToken.None);

        Assert.Empty(started);
        alumni.Verify(a => a.ListMembersPageAsync(It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Reminder_StartsOnceTheDelayHasPassed_ToTheSameAudience_AndOnlyOnce()
    {
        var audience = new AudienceSegment { LastWorkingDayFrom = Today.AddDays(-97), LastWorkingDayTo = Today.AddDays(-97) };
        records.Add(new SurveyCampaign(IdOf("w01", Today.AddDays(-7)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-7), false, audience, Now.AddDays(-7), "timer", ETag: "e"));
        records.Add(new SurveyCampaign(IdOf("w01", Today.AddDays(-6)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-6), false, audience, Now.AddDays(-6), "timer", ETag: "e"));
        campaigns.Setup(c => c.GetProgressAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new CampaignProgress(id, CampaignKind.Survey, id, CampaignStatus.Sending, Now, 0, new Dictionary<string, int>(), 0, 0, 0, 0, 0, 0, 0, 0));

        var first = await Run().HandleAsync(CancellationToken.None);
        var second = await Run().HandleAsync(CancellationToken.None);

        var reminder = Assert.Single(started);
        Assert.Equal((IdOf("w01", Today.AddDays(-7), reminder: true), audience), (reminder.CampaignId, reminder.Audience));
        Assert.Equal((1, 0), (first.RemindersStarted, second.RemindersStarted));
        Assert.True(records.Single(r => r.CampaignId == IdOf("w01", Today.AddDays(-7))).ReminderStarted);
    }

    [Fact]
    public async Task RemindersOfSeveralWaves_ReadTheSurveysCampaignsOnce_AndMarkEach()
    {
        var audience = AudienceSegment.Everyone;
        records.Add(new SurveyCampaign(IdOf("w01", Today.AddDays(-8)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-8), false, audience, Now.AddDays(-8), "timer", ETag: "e"));
        records.Add(new SurveyCampaign(IdOf("w01", Today.AddDays(-7)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-7), false, audience, Now.AddDays(-7), "timer", ETag: "e"));
        campaigns.Setup(c => c.GetProgressAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new CampaignProgress(id, CampaignKind.Survey, id, CampaignStatus.Sending, Now, 0, new Dictionary<string, int>(), 0, 0, 0, 0, 0, 0, 0, 0));

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(2, report.RemindersStarted);
        Assert.All(records.Where(r => !r.Reminder), r => Assert.True(r.ReminderStarted));
        surveys.Verify(s => s.CampaignsAsync(survey.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CampaignSettledAndRemindedInTheSameRun_StaysSettled_WithItsCount()
    {
        var wave = new SurveyCampaign(IdOf("w01", Today.AddDays(-7)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-7), false, AudienceSegment.Everyone, Now.AddDays(-7), "timer", ETag: "e");
        records.Add(wave);
        campaigns.Setup(c => c.GetProgressAsync(wave.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new CampaignProgress(wave.CampaignId, CampaignKind.Survey, wave.CampaignId, CampaignStatus.Completed, Now, 3, new Dictionary<string, int>(), 2, 0, 0, 0, 0, 0, 1, 1));

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Equal((1, 1), (report.CampaignsSettled, report.RemindersStarted));
        var record = records.Single(r => r.CampaignId == wave.CampaignId);
        Assert.Equal((2, true, true), (record.Sent, record.Settled, record.ReminderStarted));
    }

    [Fact]
    public async Task SurveyWithoutReminders_StartsNone()
    {
        survey.Edit(Content(reminder: null), Now);
        survey.Publish(Now);
        versions[2] = survey.Current!;
        records.Add(new SurveyCampaign(IdOf("w01", Today.AddDays(-30)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-30), false, AudienceSegment.Everyone, Now.AddDays(-30), "timer", Settled: true));

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(0, report.RemindersStarted);
        Assert.DoesNotContain(started, s => s.CampaignId.EndsWith("-r", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemindersTurnedOnByALaterVersion_DoNotReachBackToEarlierWaves_NorSendOnesLongOverdue()
    {
        // v1 reminded after 7 days, v2 sent a year of waves without reminders, v3 turns them on again (after 7 days).
        survey.Edit(Content(reminder: null), Now.AddDays(-365));
        survey.Publish(Now.AddDays(-365));
        versions[2] = survey.Current!;
        survey.Edit(Content(reminder: 7), Now.AddDays(-40));
        survey.Publish(Now.AddDays(-40));
        versions[3] = survey.Current!;
        SurveyCampaign Wave(int version, int daysAgo) => new(SurveyCampaigns.IdOf(new SurveyWave(survey.Id, version, "w01"), Today.AddDays(-daysAgo)),
            new SurveyWave(survey.Id, version, "w01"), Today.AddDays(-daysAgo), false, AudienceSegment.Everyone, Now.AddDays(-daysAgo), "timer", Settled: true, ETag: "e");
        records.AddRange(Enumerable.Range(41, 320).Select(daysAgo => Wave(2, daysAgo)));
        records.Add(Wave(1, 370));
        records.Add(Wave(3, 30));
        records.Add(Wave(3, 7));

        var report = await Run().HandleAsync(CancellationToken.None);

        var reminder = Assert.Single(started);
        Assert.Equal(SurveyCampaigns.ReminderOf(Wave(3, 7).CampaignId), reminder.CampaignId);
        Assert.Equal(1, report.RemindersStarted);
        Assert.Single(records, r => r.Reminder);
        Assert.True(records.Single(r => r.CampaignId == Wave(3, 30).CampaignId).ReminderStarted);
        Assert.True(records.Single(r => r.CampaignId == Wave(1, 370).CampaignId).ReminderStarted);
        Assert.DoesNotContain(records, r => r.Wave.Version == 2 && r.ReminderStarted);
    }

    [Fact]
    public async Task CampaignWhoseStartWasCutOff_IsStartedAgain_AndAFinishedOneSettles()
    {
        var cutOff = new SurveyCampaign(IdOf("w01", Today.AddDays(-1)), new SurveyWave(survey.Id, 1, "w01"), Today.AddDays(-1), false, AudienceSegment.Everyone, Now.AddDays(-1), "timer", ETag: "e");
        var done = cutOff with { CampaignId = IdOf("w01", Today.AddDays(-2)), Day = Today.AddDays(-2) };
        records.AddRange([cutOff, done]);
        campaigns.Setup(c => c.GetProgressAsync(done.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new CampaignProgress(done.CampaignId, CampaignKind.Survey, done.CampaignId, CampaignStatus.Completed, Now, 3, new Dictionary<string, int>(), 2, 0, 0, 0, 0, 0, 1, 1));

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Contains(started, s => s.CampaignId == cutOff.CampaignId);
        Assert.Equal(1, report.CampaignsSettled);
        Assert.Equal((2, true), (records.Single(r => r.CampaignId == done.CampaignId).Sent, records.Single(r => r.CampaignId == done.CampaignId).Settled));
    }

    [Fact]
    public async Task SurveyPastItsClosingTime_IsClosed_AndItsPseudonymsDestroyed()
    {
        var closing = Published(Content() with { ClosesAt = Now.AddDays(-1) }, Now.AddDays(-30));
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => [closing]);
        surveys.Setup(s => s.GetAsync(closing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(closing);
        surveys.Setup(s => s.TryUpdateAsync(closing, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        surveys.Setup(s => s.CampaignsAsync(closing.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.SurveysClosed);
        Assert.Equal(SurveyStatus.Closed, closing.Status);
        responses.Verify(r => r.DeleteGuardsAsync(closing.Id, null, It.IsAny<CancellationToken>()));
        responses.Verify(r => r.DeleteAnonymousResponsesAsync(closing.Id, It.IsAny<CancellationToken>()));
        surveys.Verify(s => s.DestroyKeyAsync(closing.Id, It.IsAny<CancellationToken>()));
        Assert.Empty(started);
    }

    [Fact]
    public async Task ASurveyClosedYesterday_HasItsGuardsAndAnonymousResponsesDeletedAgain_OneClosedLongAgoDoesNot()
    {
        // A close cut short, or an answer under way at the close, may have left rows: the next runs finish the job.
        var recent = Published(Content(), Now.AddDays(-30));
        recent.Close(Now.AddDays(-1));
        var old = Published(Content(), Now.AddDays(-60));
        old.Close(Now.AddDays(-10));
        surveys.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => [recent, old]);

        await Run().HandleAsync(CancellationToken.None);

        responses.Verify(r => r.DeleteGuardsAsync(recent.Id, null, It.IsAny<CancellationToken>()));
        responses.Verify(r => r.DeleteAnonymousResponsesAsync(recent.Id, It.IsAny<CancellationToken>()));
        responses.Verify(r => r.DeleteAnonymousResponsesAsync(old.Id, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AWaveWhoseLinksAllExpired_ForgetsWhoAnsweredIt_ARecentOneDoesNot()
    {
        // The links of a campaign started 68 days ago expired (60 days, a week for its batches): nobody can answer its wave.
        var expired = new SurveyWave(survey.Id, 1, "aspring");
        var recent = new SurveyWave(survey.Id, 1, "asummer");
        records.Add(new SurveyCampaign(SurveyCampaigns.IdOf(expired), expired, null, false, AudienceSegment.Everyone, Now.AddDays(-68), "admin", 40, true, true));
        records.Add(new SurveyCampaign(SurveyCampaigns.IdOf(recent), recent, null, false, AudienceSegment.Everyone, Now.AddDays(-66), "admin", 40, true, true));
        responses.Setup(r => r.ForgetRespondentsAsync(expired, It.IsAny<CancellationToken>())).ReturnsAsync(3);

        var report = await Run().HandleAsync(CancellationToken.None);

        Assert.Equal(1, report.WavesForgotten);
        responses.Verify(r => r.ForgetRespondentsAsync(expired, It.IsAny<CancellationToken>()), Times.Once);
        responses.Verify(r => r.ForgetRespondentsAsync(recent, It.IsAny<CancellationToken>()), Times.Never);
    }
}

/// <summary>When a wave can no longer be answered, so that who answered it can be forgotten (ADR 0025).</summary>
public sealed class SurveyWaveRetentionTests
{
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly List<SurveyCampaign> records = [];
    private readonly Survey survey = Published(Content(reminder: 7), Now.AddDays(-400));
    private readonly SurveyWave wave;

    public SurveyWaveRetentionTests()
    {
        wave = new SurveyWave(survey.Id, 1, "w01");
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(survey.Current);
        responses.Setup(r => r.ForgetRespondentsAsync(wave, It.IsAny<CancellationToken>())).ReturnsAsync(2);
    }

    private SurveyCampaign Campaign(int daysAgo, bool settled = true, bool reminder = false, bool reminderStarted = true) =>
        new(SurveyCampaigns.IdOf(wave, DateOnly.FromDateTime(Now.AddDays(-daysAgo).Date), reminder), wave, DateOnly.FromDateTime(Now.AddDays(-daysAgo).Date), reminder,
            AudienceSegment.Everyone, Now.AddDays(-daysAgo), "timer", 10, settled, reminderStarted);

    private Task<int> ForgetAsync() =>
        new SurveyWaveRetention(surveys.Object, responses.Object, Builders.Links(), NullLogger<SurveyWaveRetention>.Instance).ForgetExpiredAsync(survey, records, Now, CancellationToken.None);

    [Fact]
    public async Task EveryCampaignOfTheWaveSettled_AndTheLastStartedLongerAgoThanALinkLives_TheWaveIsForgotten()
    {
        records.AddRange([Campaign(200), Campaign(120, reminder: true, reminderStarted: false), Campaign(68)]);

        Assert.Equal(1, await ForgetAsync());

        responses.Verify(r => r.ForgetRespondentsAsync(wave, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(66, true, true)]
    [InlineData(68, false, true)]
    [InlineData(68, true, false)]
    public async Task AWaveSomeoneCanStillAnswer_IsKept(int lastStartedDaysAgo, bool settled, bool reminderStarted)
    {
        // A link signed within the lifetime, a campaign still sending, or a reminder still to come would let a person
        // whose guard went answer the wave a second time, counted twice.
        records.AddRange([Campaign(200), Campaign(lastStartedDaysAgo, settled, reminderStarted: reminderStarted)]);

        Assert.Equal(0, await ForgetAsync());

        responses.Verify(r => r.ForgetRespondentsAsync(It.IsAny<SurveyWave>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AWaveOfAVersionWithoutReminders_IsForgottenWithNoReminderStarted()
    {
        surveys.Setup(s => s.GetVersionAsync(survey.Id, 1, It.IsAny<CancellationToken>())).ReturnsAsync(Content(reminder: null));
        records.Add(Campaign(68, reminderStarted: false));

        Assert.Equal(1, await ForgetAsync());
    }

    [Fact]
    public async Task ALifecycleWaveWithARecentCampaign_ForgetsWhoFirstAnsweredBeforeTheFirstCampaignStillAnswerable()
    {
        // A campaign a day: the wave as a whole never expires while the survey runs, its early campaigns do.
        records.AddRange([Campaign(200), Campaign(100), Campaign(30), Campaign(5, settled: false)]);
        responses.Setup(r => r.ForgetRespondentsBeforeAsync(wave, It.IsAny<DateOnly>(), It.IsAny<CancellationToken>())).ReturnsAsync(4);

        Assert.Equal(1, await ForgetAsync());

        responses.Verify(r => r.ForgetRespondentsBeforeAsync(wave, DateOnly.FromDateTime(Now.AddDays(-30).UtcDateTime), It.IsAny<CancellationToken>()), Times.Once);
        responses.Verify(r => r.ForgetRespondentsAsync(It.IsAny<SurveyWave>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(62, true)]
    [InlineData(null, true)]
    [InlineData(62, false)]
    public async Task ACampaignWhoseReminderCanStillBeAnswered_OrIsStillToCome_KeepsTheGuardsOfItsDayAndAfter(int? reminderStartedDaysAgo, bool reminderSettled)
    {
        // Its people hold the reminder's link (or will): their guards stay, whatever day they first answered.
        records.AddRange([Campaign(200), Campaign(100, reminderStarted: reminderStartedDaysAgo is not null), Campaign(30)]);
        if (reminderStartedDaysAgo is { } ago)
        {
            records.Add(Campaign(100, settled: reminderSettled, reminder: true, reminderStarted: false) with { StartedAt = Now.AddDays(-ago) });
        }

        await ForgetAsync();

        responses.Verify(r => r.ForgetRespondentsBeforeAsync(wave, DateOnly.FromDateTime(Now.AddDays(-100).UtcDateTime), It.IsAny<CancellationToken>()), Times.Once);
        responses.Verify(r => r.ForgetRespondentsBeforeAsync(wave, It.Is<DateOnly>(d => d != DateOnly.FromDateTime(Now.AddDays(-100).UtcDateTime)), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ALifecycleWaveWhoseReminderExpiredToo_ForgetsTheGuardsOfItsCampaignsDay()
    {
        records.AddRange([Campaign(200), Campaign(100), Campaign(100, reminder: true, reminderStarted: false) with { StartedAt = Now.AddDays(-93) }, Campaign(30)]);

        await ForgetAsync();

        responses.Verify(r => r.ForgetRespondentsBeforeAsync(wave, DateOnly.FromDateTime(Now.AddDays(-30).UtcDateTime), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NoCampaignExpiredBeforeTheFirstStillAnswerable_NothingIsRead()
    {
        // The expired one started after a campaign someone can still answer: nobody's first answer can predate both.
        records.AddRange([Campaign(100, settled: false), Campaign(80), Campaign(30)]);

        Assert.Equal(0, await ForgetAsync());

        responses.Verify(r => r.ForgetRespondentsBeforeAsync(It.IsAny<SurveyWave>(), It.IsAny<DateOnly>(), It.IsAny<CancellationToken>()), Times.Never);
        responses.Verify(r => r.ForgetRespondentsAsync(It.IsAny<SurveyWave>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AWaveAlreadyForgotten_IsNotCountedAgain()
    {
        responses.Setup(r => r.ForgetRespondentsAsync(wave, It.IsAny<CancellationToken>())).ReturnsAsync(0);
        records.Add(Campaign(68));

        Assert.Equal(0, await ForgetAsync());
    }
}

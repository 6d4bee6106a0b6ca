using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

/// <summary>
/// ADR 0005: a survey change's entry left standing (no not-saved entry after it) is a change that was saved; and the
/// refusals that leave nothing written or audited.
/// </summary>
public sealed class ManageSurveysAuditTests
{
    private readonly Mock<ISurveyStore> surveys = new();
    private readonly Mock<ISurveyResponseStore> responses = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<string> order = [];
    private readonly List<AuditEntry> audited = [];
    private readonly Survey stored = Published(Content(SurveyMode.Attributed));

    public ManageSurveysAuditTests()
    {
        // Each read is fresh, as from storage: a lost attempt's changes are not seen by the next one.
        surveys.Setup(s => s.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Fresh);
        surveys.Setup(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { order.Add(e.Action); audited.Add(e); }).Returns(Task.CompletedTask);
        responses.Setup(r => r.MarkClosedAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("destroy")).Returns(Task.CompletedTask);
        campaigns.Setup(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CampaignRequest r, CancellationToken _) => new CampaignStart.Started(r.CampaignId, true));
    }

    private Survey Fresh() => Survey.Restore(stored.Id, stored.Status, stored.Draft, stored.Version, stored.Current, stored.CreatedAt, stored.CreatedBy,
        stored.UpdatedAt, stored.PublishedAt, stored.ClosedAt, stored.LifecycleDoneThrough, stored.ETag);

    private ManageSurveys Handler() => new(surveys.Object, responses.Object, campaigns.Object, audit.Object, Builders.Creates(),
        Options.Create(new Core.Outreach.OutreachOptions { PostalAddress = "x", EnquiryContact = "y" }), new FakeTimeProvider(Now), NullLogger<ManageSurveys>.Instance);

    private void Saves(params bool[] results)
    {
        var writes = new Queue<bool>(results);
        surveys.Setup(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("save")).ReturnsAsync(() => writes.Dequeue());
    }

    [Fact]
    public async Task CloseRetriedAfterAConflict_IsAuditedBeforeEachSave_AndTheLostAttemptIsAuditedAsNotSaved()
    {
        Saves(false, true);

        var outcome = await Handler().CloseAsync(stored.Id, "admin-1", CancellationToken.None);

        Assert.Equal(SurveyStatus.Closed, Assert.IsType<AdminOutcome<SurveyView>.Done>(outcome).Value.Status);
        const string Closed = SurveyAuditActions.Closed;
        Assert.Equal([Closed, "save", UnsavedChange.NotSavedAction(Closed), Closed, "save", "destroy"], order);
        var notSaved = audited[1];
        Assert.Equal((stored.Id, "admin-1"), (notSaved.Subject, notSaved.Actor));
    }

    [Fact]
    public async Task CloseThatLosesEveryAttempt_IsAConflict_AndEveryEntryIsFollowedByItsNotSavedEntry()
    {
        Saves(Enumerable.Repeat(false, ManageSurveys.MaxAttempts).ToArray());

        var outcome = await Handler().CloseAsync(stored.Id, "admin-1", CancellationToken.None);

        Assert.IsType<AdminOutcome<SurveyView>.Conflict>(outcome);
        const string Closed = SurveyAuditActions.Closed;
        Assert.Equal(Enumerable.Repeat(new[] { Closed, "save", UnsavedChange.NotSavedAction(Closed) }, ManageSurveys.MaxAttempts).SelectMany(x => x), order);
    }

    [Fact]
    public async Task WaveStartLostToTheSameStartMeanwhile_IsAuditedAsNotSaved_AndAnswersWithTheWaveThatWasRecorded()
    {
        var wave = new SurveyWave(stored.Id, stored.Version, SurveyWave.AdHocKey("spring27"));
        var winner = new SurveyCampaign(SurveyCampaigns.IdOf(wave), wave, null, false, new AudienceSegment { DepartedFromYear = 2020 }, Now, "admin-2");
        surveys.SetupSequence(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]).ReturnsAsync([winner]);
        surveys.Setup(s => s.TryAddCampaignAsync(stored.Id, It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("add")).ReturnsAsync(false);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27", "audience": { "departedFromYear": 2020 } }"""), "admin-1", CancellationToken.None);

        var started = Assert.IsType<AdminOutcome<StartedWave>.Done>(outcome).Value;
        Assert.False(started.IsNew);
        const string Started = SurveyAuditActions.WaveStarted;
        Assert.Equal([Started, "add", UnsavedChange.NotSavedAction(Started)], order);
        Assert.Equal((stored.Id, "admin-1", $"campaign={winner.CampaignId}"), (audited[1].Subject, audited[1].Actor, audited[1].Detail.Split(';')[0]));
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == winner.CampaignId && r.RequestedBy == "admin-2" && r.Audience == winner.Audience),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WaveStartRecorded_LeavesItsStartedEntryAlone()
    {
        surveys.Setup(s => s.TryAddCampaignAsync(stored.Id, It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("add")).ReturnsAsync(true);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27" }"""), "admin-1", CancellationToken.None);

        Assert.True(Assert.IsType<AdminOutcome<StartedWave>.Done>(outcome).Value.IsNew);
        Assert.Equal([SurveyAuditActions.WaveStarted, "add"], order);
    }

    [Fact]
    public async Task EditBuiltOnAVersionChangedSince_IsStale_AndNothingIsWrittenOrAudited()
    {
        var seen = RecordVersion.Of(stored.UpdatedAt.AddMinutes(-1));
        var body = SurveyDraftTests.Valid();
        body["mode"] = "Attributed";

        var outcome = await Handler().EditAsync(stored.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), seen, "admin-1", CancellationToken.None);

        Assert.IsType<AdminOutcome<SurveyView>.Stale>(outcome);
        Assert.Empty(order);
        surveys.Verify(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EditBuiltOnTheVersionStored_IsSaved()
    {
        Saves(true);
        var body = SurveyDraftTests.Valid();
        body["mode"] = "Attributed";

        var outcome = await Handler().EditAsync(stored.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), RecordVersion.Of(stored.UpdatedAt), "admin-1", CancellationToken.None);

        Assert.Equal("Alumni survey", Assert.IsType<AdminOutcome<SurveyView>.Done>(outcome).Value.Draft!.Title.English);
        Assert.Equal([SurveyAuditActions.Edited, "save"], order);
    }

    [Fact]
    public async Task PublishOfADraftEditedSinceItWasReviewed_IsStale_AndNothingIsPublished()
    {
        var reviewed = RecordVersion.Of(stored.UpdatedAt);
        Assert.Null(stored.Edit(Content(SurveyMode.Attributed) with { Title = Text("Edited by another admin") }, Now.AddMinutes(-1)));

        var outcome = await Handler().PublishAsync(stored.Id, reviewed, "admin-1", CancellationToken.None);

        Assert.IsType<AdminOutcome<SurveyView>.Stale>(outcome);
        Assert.Empty(order);
        surveys.Verify(s => s.TryAddVersionAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<SurveyContent>(), It.IsAny<CancellationToken>()), Times.Never);
        surveys.Verify(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PublishRepeatedWithNoDraftLeft_ChangesNothing_WhateverTheVersion()
    {
        var outcome = await Handler().PublishAsync(stored.Id, RecordVersion.Of(stored.UpdatedAt.AddDays(-3)), "admin-1", CancellationToken.None);

        Assert.Equal(1, Assert.IsType<AdminOutcome<SurveyView>.Done>(outcome).Value.Version);
        Assert.Empty(order);
    }

    [Fact]
    public async Task PublishOfADraftWhoseClosingTimePassed_IsRefusedNamingClosesAt_AndNothingIsWritten()
    {
        // Published, it would be closed for good by the next daily run (a close is final): the live version would be lost too.
        Assert.Null(stored.Edit(Content(SurveyMode.Attributed) with { ClosesAt = Now.AddMinutes(-5) }, Now.AddDays(-1)));

        var outcome = await Handler().PublishAsync(stored.Id, null, "admin-1", CancellationToken.None);

        var conflict = Assert.IsType<AdminOutcome<SurveyView>.Conflict>(outcome);
        Assert.Equal(ConflictCode.ClosingTimePassed, conflict.Code);
        Assert.Equal("closesAt", ManageSurveys.ClosingTimePassed.Field);
        Assert.Empty(order);
        surveys.Verify(s => s.TryAddVersionAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<SurveyContent>(), It.IsAny<CancellationToken>()), Times.Never);
        surveys.Verify(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private SurveyCampaign AdHocWave(AudienceSegment audience)
    {
        var wave = new SurveyWave(stored.Id, stored.Version, SurveyWave.AdHocKey("spring27"));
        return new SurveyCampaign(SurveyCampaigns.IdOf(wave), wave, null, false, audience, Now.AddHours(-1), "admin-2");
    }

    [Fact]
    public async Task WaveRepeatedWithAnotherAudience_IsRefusedNamingAudience_AndNothingIsAuditedAddedOrStarted()
    {
        // A repeat starts nothing: answering 200 would tell the admin the 2021 leavers were asked when they were not.
        surveys.Setup(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([AdHocWave(new AudienceSegment { DepartedFromYear = 2020 })]);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27", "audience": { "departedFromYear": 2021 } }"""), "admin-1", CancellationToken.None);

        Assert.Equal(ConflictCode.WaveAudienceDiffers, Assert.IsType<AdminOutcome<StartedWave>.Conflict>(outcome).Code);
        Assert.Equal("audience", ManageSurveys.WaveAudienceDiffers.Field);
        Assert.Empty(order);
        surveys.Verify(s => s.TryAddCampaignAsync(It.IsAny<string>(), It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WaveRepeatedWithTheSameAudienceListedInAnotherOrder_IsTheSameWave_AndStartsItAgainIdempotently()
    {
        var first = AdHocWave(new AudienceSegment { Departments = ["Markets", "Retail Banking"] });
        surveys.Setup(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([first]);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27", "audience": { "departments": ["Retail Banking", "Markets"] } }"""), "admin-1", CancellationToken.None);

        var started = Assert.IsType<AdminOutcome<StartedWave>.Done>(outcome).Value;
        Assert.Equal((first.CampaignId, false), (started.Wave.CampaignId, started.IsNew));
        Assert.Empty(order);
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == first.CampaignId && r.Audience == first.Audience), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WaveRepeatedWithTheSameAudienceInAnotherCaseOrWidth_IsTheSameWave_NotAConflict()
    {
        // A 409 here would tell the admin to pick a new wave name, which would mail the same people again.
        var first = AdHocWave(new AudienceSegment { Departments = ["Sales"] });
        surveys.Setup(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([first]);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27", "audience": { "departments": ["ｓａｌｅｓ"] } }"""), "admin-1", CancellationToken.None);

        var started = Assert.IsType<AdminOutcome<StartedWave>.Done>(outcome).Value;
        Assert.Equal((first.CampaignId, false), (started.Wave.CampaignId, started.IsNew));
        Assert.Empty(order);
        campaigns.Verify(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == first.CampaignId && r.Audience == first.Audience), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WaveStartLostToAStartWithAnotherAudienceMeanwhile_IsRefusedNamingAudience_AfterItsNotSavedEntry()
    {
        var winner = AdHocWave(new AudienceSegment { DepartedFromYear = 2020 });
        surveys.SetupSequence(s => s.CampaignsAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]).ReturnsAsync([winner]);
        surveys.Setup(s => s.TryAddCampaignAsync(stored.Id, It.IsAny<SurveyCampaign>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("add")).ReturnsAsync(false);

        var outcome = await Handler().StartWaveAsync(stored.Id, Encoding.UTF8.GetBytes("""{ "name": "spring27" }"""), "admin-1", CancellationToken.None);

        Assert.Equal(ConflictCode.WaveAudienceDiffers, Assert.IsType<AdminOutcome<StartedWave>.Conflict>(outcome).Code);
        const string Started = SurveyAuditActions.WaveStarted;
        Assert.Equal([Started, "add", UnsavedChange.NotSavedAction(Started)], order);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CloseLandingAfterAPublishSavedItsRow_BeforeItsFollowUpWrites_LeavesNoOpenMarker()
    {
        var marker = true;
        responses.Setup(r => r.MarkOpenAsync(stored.Id, It.IsAny<CancellationToken>())).Callback(() => marker = true).Returns(Task.CompletedTask);
        responses.Setup(r => r.MarkClosedAsync(stored.Id, It.IsAny<CancellationToken>())).Callback(() => marker = false).Returns(Task.CompletedTask);
        Assert.Null(stored.Edit(Content(SurveyMode.Attributed) with { Title = Text("Second version") }, Now.AddMinutes(-1)));
        Saves(true);
        // The publish's first follow-up write: the whole close runs just before it (its row saved, then the marker deleted).
        surveys.Setup(s => s.WriteVersionAsync(stored.Id, 2, It.IsAny<SurveyContent>(), It.IsAny<CancellationToken>(), It.IsAny<string?>()))
            .Callback(() => { stored.Close(Now); marker = false; }).ReturnsAsync(true);

        Assert.IsType<AdminOutcome<SurveyView>.Done>(await Handler().PublishAsync(stored.Id, null, "admin-1", CancellationToken.None));

        Assert.False(marker);
        responses.Verify(r => r.MarkOpenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CloseLandingBetweenThePublishReadingTheSurveyAndWritingItsMarker_HasTheMarkerTakenBack()
    {
        var marker = true;
        Assert.Null(stored.Edit(Content(SurveyMode.Attributed) with { Title = Text("Second version") }, Now.AddMinutes(-1)));
        Saves(true);
        // The publish read the survey open; the whole close runs before its marker write lands (row saved, marker deleted).
        responses.Setup(r => r.MarkOpenAsync(stored.Id, It.IsAny<CancellationToken>())).Callback(() => { stored.Close(Now); marker = true; }).Returns(Task.CompletedTask);
        responses.Setup(r => r.MarkClosedAsync(stored.Id, It.IsAny<CancellationToken>())).Callback(() => marker = false).Returns(Task.CompletedTask);

        Assert.IsType<AdminOutcome<SurveyView>.Done>(await Handler().PublishAsync(stored.Id, null, "admin-1", CancellationToken.None));

        Assert.False(marker);
    }

    [Fact]
    public async Task PublishWithNoCloseMeanwhile_WritesTheOpenMarker()
    {
        var marker = false;
        responses.Setup(r => r.MarkOpenAsync(stored.Id, It.IsAny<CancellationToken>())).Callback(() => marker = true).Returns(Task.CompletedTask);
        Assert.Null(stored.Edit(Content(SurveyMode.Attributed) with { Title = Text("Second version") }, Now.AddMinutes(-1)));
        Saves(true);

        Assert.Equal(2, Assert.IsType<AdminOutcome<SurveyView>.Done>(await Handler().PublishAsync(stored.Id, null, "admin-1", CancellationToken.None)).Value.Version);

        Assert.True(marker);
        responses.Verify(r => r.MarkClosedAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>The stored survey as it would be after <paramref name="version"/> publications, with <paramref name="draft"/>.</summary>
    private void StoredAt(int version, SurveyContent? draft = null) =>
        surveys.Setup(s => s.GetAsync(stored.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Survey.Restore(stored.Id, SurveyStatus.Published, draft, version, stored.Current,
            stored.CreatedAt, stored.CreatedBy, stored.UpdatedAt, stored.PublishedAt, null, null, stored.ETag));

    [Theory]
    [InlineData(SurveyCampaigns.MaxVersion - 1, true)]
    [InlineData(SurveyCampaigns.MaxVersion, false)]
    public async Task EditOfASurveyAtItsLastVersion_IsRefusedNamingVersion_AndNothingIsWrittenOrAudited(int version, bool saved)
    {
        StoredAt(version);
        Saves(true);
        var body = SurveyDraftTests.Valid();
        body["mode"] = "Attributed";

        var outcome = await Handler().EditAsync(stored.Id, Encoding.UTF8.GetBytes(body.ToJsonString()), null, "admin-1", CancellationToken.None);

        if (saved)
        {
            Assert.IsType<AdminOutcome<SurveyView>.Done>(outcome);
            return;
        }

        Assert.Equal(ConflictCode.LastVersion, Assert.IsType<AdminOutcome<SurveyView>.Conflict>(outcome).Code);
        Assert.Equal("version", ManageSurveys.LastVersion.Field);
        Assert.Empty(order);
        surveys.Verify(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PublishOfADraftLeftAtTheLastVersion_IsRefusedNamingVersion_AndNothingIsWritten()
    {
        // A draft written before the limit was enforced: version 1000's waves would have campaign ids no one reads back.
        StoredAt(SurveyCampaigns.MaxVersion, Content(SurveyMode.Attributed));

        var outcome = await Handler().PublishAsync(stored.Id, null, "admin-1", CancellationToken.None);

        Assert.Equal(ConflictCode.LastVersion, Assert.IsType<AdminOutcome<SurveyView>.Conflict>(outcome).Code);
        Assert.Empty(order);
        surveys.Verify(s => s.TryAddVersionAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<SurveyContent>(), It.IsAny<CancellationToken>()), Times.Never);
        surveys.Verify(s => s.TryUpdateAsync(It.IsAny<Survey>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void SurveyAtItsLastVersion_PublishesNothing()
    {
        var survey = Survey.Restore(stored.Id, SurveyStatus.Published, Content(), SurveyCampaigns.MaxVersion, stored.Current, stored.CreatedAt, stored.CreatedBy,
            stored.UpdatedAt, stored.PublishedAt, null, null, stored.ETag);

        Assert.Null(survey.Publish(Now));
        Assert.Equal(SurveyCampaigns.MaxVersion, survey.Version);
    }
}

using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Openings.OpeningBuilders;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class NewsletterComposerTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly NewsletterEntry News = new(NewsletterSectionKind.News, "news-1", "新年交流会", "New Year meetup", "本文", "Text", null);

    private readonly Mock<INewsletterIssueStore> issues = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Opening opening = Opening();

    private NewsletterComposer Composer()
    {
        var time = new FakeTimeProvider(Now);
        var company = Builders.Company();
        var section = new OpenPositionsSection(openings.Object);
        return new NewsletterComposer(issues.Object, new NewsletterDraft([section], new CompanyCalendar(company), time), [section],
            new AlumniLinks(new LinkTokenService(Builders.Links(), time), company), company);
    }

    private async Task<NewsletterEntry> ComposedAsync()
    {
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        return (await new OpenPositionsSection(openings.Object).EntriesAsync(Now, CancellationToken.None))[0];
    }

    [Theory]
    [InlineData(OpeningStatus.Closed, Confidentiality.Normal)]
    [InlineData(OpeningStatus.Open, Confidentiality.Sensitive)]
    public async Task OpeningClosedOrMadeSensitiveAfterComposition_LeavesTheIssue_WithTheRestOfIt(OpeningStatus status, Confidentiality confidentiality)
    {
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2027-01", Now, [News, await ComposedAsync()]));
        opening.Details = opening.Details with { Status = status, Confidentiality = confidentiality };

        var mail = await Composer().LoadAsync("2027-01", CancellationToken.None);

        var html = mail!.Template(Locale.English).Html;
        Assert.Contains("New Year meetup", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Risk project", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Open positions", html, StringComparison.Ordinal);
        Assert.DoesNotContain(NewsletterMail.OpeningsUrlKey, mail.Values(Member()).Keys);
    }

    [Fact]
    public async Task Draft_GivesTheEntriesNewSinceTheLastIssueThePlacesFirst_AsTheRealIssueDoes()
    {
        var offered = Enumerable.Range(1, NewsletterDraft.MaxEntriesPerSection + 1)
            .Select(n => News with { Key = $"news-{n}", TitleJa = $"記事{n}", TitleEn = $"Item number {n}" }).ToArray();
        var section = new Mock<INewsletterSection>();
        section.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(offered);
        issues.Setup(i => i.PreviousAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new NewsletterIssue("2027-01", Now.AddMonths(-1), offered[..NewsletterDraft.MaxEntriesPerSection]));
        var time = new FakeTimeProvider(Now);
        var company = Builders.Company();
        var composer = new NewsletterComposer(issues.Object, new NewsletterDraft([section.Object], new CompanyCalendar(company), time), [section.Object],
            new AlumniLinks(new LinkTokenService(Builders.Links(), time), company), company);

        var mail = await composer.LoadAsync(NewsletterComposer.DraftId, CancellationToken.None);

        Assert.Contains($"Item number {NewsletterDraft.MaxEntriesPerSection + 1}", mail!.Template(Locale.English).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpeningStillAdvertised_StaysInTheIssue()
    {
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2027-01", Now, [News, await ComposedAsync()]));

        var mail = await Composer().LoadAsync("2027-01", CancellationToken.None);

        Assert.Contains("リスク管理プロジェクト", mail!.Template(Locale.Japanese).Html, StringComparison.Ordinal);
        Assert.Contains(NewsletterMail.OpeningsUrlKey, mail.Values(Member()).Keys);
    }

    [Fact]
    public async Task PreviewOfAStoredIssue_ShowsItAsComposed_WhileABatchNowLeavesOutWhatIsNoLongerAdvertised()
    {
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2027-01", Now, [await ComposedAsync()]));
        opening.Details = opening.Details with { Status = OpeningStatus.Closed };
        var composer = Composer();
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), new FakeTimeProvider(Now)), Builders.Company());
        var engine = new CampaignEngine(Mock.Of<ICampaignStore>(), [composer], Mock.Of<IWorkItemStore>(),
            new CampaignMailBuilder(new PromotionalFooter(links, Builders.Company(), Builders.Outreach())), new FakeTimeProvider(Now), NullLogger<CampaignEngine>.Instance);

        var preview = await engine.PreviewAsync(CampaignKind.Newsletter, "2027-01", PreviewRecipient.Of(Locale.English, PreviewRecipient.Nobody), CancellationToken.None);

        Assert.Contains("Risk project", preview!.Html, StringComparison.Ordinal);
        Assert.Null(await composer.LoadAsync("2027-01", CancellationToken.None));
    }

    [Fact]
    public async Task IssueLeftWithNoEntry_SendsNothing()
    {
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2027-01", Now, [await ComposedAsync()]));
        opening.Details = opening.Details with { Status = OpeningStatus.Closed };

        Assert.Null(await Composer().LoadAsync("2027-01", CancellationToken.None));
    }

    [Fact]
    public async Task TheOnlyNewsItem_EditedMidFanOut_GoesOutInItsNewWording_NotNothing()
    {
        var composedAt = Now.AddDays(-3);
        var item = new NewsItem(NewsItem.NewId(), "同窓会", "Reunion", "本文", "Body", null, composedAt.AddDays(-10), null, composedAt.AddDays(-10));
        var news = new Mock<INewsItemStore>();
        news.Setup(s => s.GetAsync(item.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync(item with { TitleEn = "Reunion (typo fixed)", UpdatedAt = composedAt.AddDays(1) });
        var entries = new[] { News with { Key = $"news-{item.Id}", TitleEn = "Reunoin" } };
        issues.Setup(i => i.GetAsync("2027-01", It.IsAny<CancellationToken>())).ReturnsAsync(new NewsletterIssue("2027-01", composedAt, entries));
        var time = new FakeTimeProvider(Now);
        var company = Builders.Company();
        var section = new NewsSection(news.Object, time);
        var composer = new NewsletterComposer(issues.Object, new NewsletterDraft([section], new CompanyCalendar(company), time), [section],
            new AlumniLinks(new LinkTokenService(Builders.Links(), time), company), company);

        var html = (await composer.LoadAsync("2027-01", CancellationToken.None))!.Template(Locale.English).Html;

        Assert.Contains("Reunion (typo fixed)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Reunoin", html, StringComparison.Ordinal);
    }
}

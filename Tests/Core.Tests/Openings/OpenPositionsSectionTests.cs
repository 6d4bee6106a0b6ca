using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Openings;
using Moq;
using static AlumniNetwork.Core.Tests.Openings.OpeningBuilders;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class OpenPositionsSectionTests
{
    private readonly Mock<IOpeningStore> openings = new();

    [Fact]
    public async Task Section_ListsOpenNormalOpenings_NeverClosedOrSensitiveOnes()
    {
        var open = Opening(OpeningKind.Comeback, location: "Tokyo");
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
            [open, Opening(status: OpeningStatus.Closed), Opening(confidentiality: Confidentiality.Sensitive)]);

        var entries = await new OpenPositionsSection(openings.Object).EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);

        var entry = Assert.Single(entries);
        Assert.Equal((NewsletterSectionKind.Openings, "Risk project"), (entry.Section, entry.TitleEn));
        Assert.StartsWith("再入社（正社員）／Tokyo", entry.TextJa, StringComparison.Ordinal);
        Assert.Null(entry.Link);
    }

    [Fact]
    public async Task ChangedOpening_IsNewsAgain()
    {
        var opening = Opening();
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);
        var section = new OpenPositionsSection(openings.Object);

        var before = (await section.EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None))[0].Key;
        opening.UpdatedAt = opening.UpdatedAt.AddDays(1);
        var after = (await section.EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None))[0].Key;

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Entry_SummarisesTheFactsInEachLanguage_AndShortensALongDescription()
    {
        var opening = Opening(OpeningKind.Comeback, department: "Retail Banking", location: "Osaka", remote: true);
        opening.Details = opening.Details with { Description = new LocalizedText(new string('あ', OpenPositionsSection.MaxText + 1), "Short.") };
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);

        var entry = (await new OpenPositionsSection(openings.Object).EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None))[0];

        Assert.Equal($"再入社（正社員）／Retail Banking／Osaka（リモート可）／2027年4月1日から\n{new string('あ', OpenPositionsSection.MaxText)}…", entry.TextJa);
        Assert.Equal("Comeback (full-time) / Retail Banking / Osaka (remote possible) / From 1 April 2027\nShort.", entry.TextEn);
        Assert.Equal(("リスク管理プロジェクト", "Risk project"), (entry.TitleJa, entry.TitleEn));
    }

    [Fact]
    public async Task LongDescription_WithAnEmojiAcrossTheCut_IsShortenedBeforeIt_NotThroughIt()
    {
        var opening = Opening();
        var description = new string('あ', OpenPositionsSection.MaxText - 1) + "🎉" + "続き";
        opening.Details = opening.Details with { Description = new LocalizedText(description, "Short.") };
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);

        var entry = (await new OpenPositionsSection(openings.Object).EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None))[0];

        Assert.EndsWith($"\n{new string('あ', OpenPositionsSection.MaxText - 1)}…", entry.TextJa, StringComparison.Ordinal);
        Assert.DoesNotContain(entry.TextJa, char.IsSurrogate);
    }

    [Fact]
    public async Task NoOpenNormalOpening_NoSection()
    {
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(
            [Opening(status: OpeningStatus.Closed), Opening(confidentiality: Confidentiality.Sensitive, status: OpeningStatus.Open)]);

        Assert.Empty(await new OpenPositionsSection(openings.Object).EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None));
    }

    [Fact]
    public async Task StoredIssue_DropsOpeningsClosedOrMadeSensitiveSinceComposition_KeepsTheRest()
    {
        var (stillOpen, closed, sensitive) = (Opening(), Opening(), Opening());
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([stillOpen, closed, sensitive]);
        var section = new OpenPositionsSection(openings.Object);
        var news = new NewsletterEntry(NewsletterSectionKind.News, "news-1", "お知らせ", "News", "本文", "Text", null);
        var composed = (await section.EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None)).Prepend(news).ToArray();
        closed.Details = closed.Details with { Status = OpeningStatus.Closed };
        sensitive.Details = sensitive.Details with { Confidentiality = Confidentiality.Sensitive };
        foreach (var o in new[] { stillOpen, closed, sensitive })
        {
            openings.Setup(s => s.GetAsync(o.Id, It.IsAny<CancellationToken>())).ReturnsAsync(o);
        }

        var sendable = await section.StillSendableAsync(composed, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(["news-1", composed[1].Key], sendable.Select(e => e.Key));
        Assert.Contains(stillOpen.Id, composed[1].Key, StringComparison.Ordinal);
        foreach (var o in new[] { stillOpen, closed, sensitive })
        {
            openings.Verify(s => s.GetAsync(o.Id, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task StoredIssue_DropsAnOpeningEditedSinceComposition_KeepsOneUnchanged()
    {
        var (unchanged, edited) = (Opening(), Opening());
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([unchanged, edited]);
        var section = new OpenPositionsSection(openings.Object);
        var composed = await section.EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);
        (edited.Details, edited.UpdatedAt) = (edited.Details with { Title = new LocalizedText("新規事業", "New venture") }, edited.UpdatedAt.AddSeconds(1));
        foreach (var o in new[] { unchanged, edited })
        {
            openings.Setup(s => s.GetAsync(o.Id, It.IsAny<CancellationToken>())).ReturnsAsync(o);
        }

        var sendable = await section.StillSendableAsync(composed, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal([unchanged.Id], sendable.Select(e => e.Key.Split('-')[1]));
        Assert.Equal("Risk project", Assert.Single(sendable).TitleEn);
    }

    [Fact]
    public async Task StoredIssue_DropsAnOpeningGoneOrAKeyNamingNone()
    {
        var gone = Opening();
        var entries = new NewsletterEntry[]
        {
            new(NewsletterSectionKind.Openings, $"opening-{gone.Id}-1", "募集", "Opening", "本文", "Text", null),
            new(NewsletterSectionKind.Openings, "opening-1", "募集", "Opening", "本文", "Text", null),
            new(NewsletterSectionKind.Events, "event-1-1", "交流会", "Meetup", "本文", "Text", null),
        };

        var sendable = await new OpenPositionsSection(openings.Object).StillSendableAsync(entries, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(["event-1-1"], sendable.Select(e => e.Key));
        openings.Verify(s => s.GetAsync(gone.Id, It.IsAny<CancellationToken>()), Times.Once);
        openings.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(Locale.Japanese)]
    [InlineData(Locale.English)]
    public async Task RecruiterText_IsEscapedInTheNewsletter_AndNeverFilledAsAPlaceholder(Locale locale)
    {
        var opening = Opening(location: "<img src=x onerror=alert(1)>");
        opening.Details = opening.Details with { Title = new LocalizedText("<script>募集</script>{{name}}", "<script>Opening</script>{{name}}") };
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);
        var entries = await new OpenPositionsSection(openings.Object).EntriesAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);
        var reader = Builders.Alumnus(DateTimeOffset.UnixEpoch, locale: locale);
        var mail = new NewsletterMail(new NewsletterIssue("2027-01", DateTimeOffset.UnixEpoch, entries), "Example", _ => new Uri("https://alumni.example.com/o"));

        var html = Placeholders.Fill(mail.Template(locale).Html, mail.Values(reader), html: true);
        var text = Placeholders.Fill(mail.Template(locale).Text, mail.Values(reader), html: false);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(locale == Locale.Japanese ? "募集中のポジション" : "Open positions", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</script>花子", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NewsletterWithOpenPositions_EndsTheSectionWithTheReadersOwnLink()
    {
        var reader = Member();
        var issue = new NewsletterIssue("2027-01", DateTimeOffset.UnixEpoch,
            [new(NewsletterSectionKind.Openings, "opening-1", "募集", "Opening", "本文", "Text", null)]);
        var mail = new NewsletterMail(issue, "Example", a => new Uri($"https://alumni.example.com/api/alumni/openings?token={a.Id}&x=1"));

        var values = mail.Values(reader);
        var html = Placeholders.Fill(mail.Template(Locale.Japanese).Html, values, html: true);
        var withoutOpenings = new NewsletterMail(issue with { Entries = [] }, "Example", a => new Uri("https://alumni.example.com/"));

        Assert.Contains($"href=\"https://alumni.example.com/api/alumni/openings?token={reader.Id}&amp;x=1\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(NewsletterMail.OpeningsUrlKey, withoutOpenings.Values(reader).Keys);
    }
}

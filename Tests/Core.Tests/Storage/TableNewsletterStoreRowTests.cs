using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Storage;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Storage;

/// <summary>An issue's row is bounded whatever its text (ADR 0034): the worst the draft can store, row by row.</summary>
public sealed class TableNewsletterStoreRowTests
{
    /// <summary>ADR 0034's bound on every string of an issue's row together, in UTF-16 characters.</summary>
    private const int MaxRowCharacters = 273_245;

    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("😀")]
    [InlineData("本")]
    [InlineData("\u3000")]
    [InlineData("\uE000")]
    [InlineData("\"")]
    [InlineData("\\")]
    public async Task IssueOfEverySectionPastTheCap_WithEveryFieldAtItsLimitWhollyInOneCharacter_StaysInsideTheBound(string character)
    {
        var draft = new NewsletterDraft(
            [Section(NewsletterSectionKind.News, character), Events(character), Section(NewsletterSectionKind.Openings, character)],
            new CompanyCalendar(Builders.Company()), new FakeTimeProvider(Now));
        var issue = await draft.ComposeAsync("2027-01", SentEntries.Of(null), CancellationToken.None);

        var row = TableNewsletterStore.ToEntity(issue);

        var strings = row.Select(p => p.Value).OfType<string>().ToArray();
        Assert.Equal(25, issue.Entries.Count);
        Assert.Equal(3 * NewsletterDraft.MaxTakenPerSection, issue.Considered!.Count + issue.Deferred!.Count);
        Assert.InRange(strings.Sum(s => s.Length), 0, MaxRowCharacters);
        Assert.All(strings, s => Assert.InRange(s.Length, 0, 30_000));
    }

    private static INewsletterSection Section(NewsletterSectionKind kind, string character)
    {
        var section = new Mock<INewsletterSection>();
        section.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(Offered(kind, character));
        return section.Object;
    }

    private static ILimitedNewsletterSection Events(string character)
    {
        var section = new Mock<ILimitedNewsletterSection>();
        section.Setup(s => s.MaxEntries).Returns(UpcomingEventsSection.MaxEvents);
        section.Setup(s => s.EntriesAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(Offered(NewsletterSectionKind.Events, character));
        return section.Object;
    }

    /// <summary>More entries than the draft takes, each with the longest key of its kind and a news item's limits, the most any section's entry holds.</summary>
    private static NewsletterEntry[] Offered(NewsletterSectionKind kind, string character) =>
        Enumerable.Range(0, NewsletterDraft.MaxTakenPerSection + 10)
            .Select(i => new NewsletterEntry(kind, Key(kind, $"{i:x32}"),
                Text(character, NewsItem.MaxTitleLength), Text(character, NewsItem.MaxTitleLength),
                Text(character, NewsItem.MaxBodyLength), Text(character, NewsItem.MaxBodyLength),
                new Uri("https://example.com/" + new string('a', NewsItem.MaxLinkLength - 20))))
            .ToArray();

    /// <summary>As many of <paramref name="character"/> as fit in <paramref name="limit"/> UTF-16 characters, as the forms count.</summary>
    private static string Text(string character, int limit) => string.Concat(Enumerable.Repeat(character, limit / character.Length));

    private static string Key(NewsletterSectionKind kind, string id) => kind switch
    {
        NewsletterSectionKind.News => $"news-{id}",
        NewsletterSectionKind.Events => StillAdvertised.Key("event-", id, DateTimeOffset.MaxValue),
        _ => StillAdvertised.Key("opening-", id, DateTimeOffset.MaxValue),
    };
}

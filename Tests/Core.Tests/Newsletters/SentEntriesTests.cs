using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class SentEntriesTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData($"news-{Id}-1764547200", $"news-{Id}")]
    [InlineData($"news-{Id}", $"news-{Id}")]
    [InlineData("news-n1-1764547200", "news-n1")]
    [InlineData($"news-{Id}-", $"news-{Id}-")]
    [InlineData($"news-{Id}-17645x7200", $"news-{Id}-17645x7200")]
    [InlineData($"event-{Id}-1764547200", $"event-{Id}-1764547200")]
    [InlineData($"event-{Id}", $"event-{Id}")]
    [InlineData($"opening-{Id}-1764547200", $"opening-{Id}-1764547200")]
    public void StoredKey_IsReadAsEntriesAreKeyedNow(string stored, string current) =>
        Assert.Equal(current, SentEntries.Current(stored));

    [Theory]
    [InlineData($"event-{Id}", NewsletterSectionKind.Events, $"event-{Id}-1798761600", true)]
    [InlineData($"event-{Id}-1798761600", NewsletterSectionKind.Events, $"event-{Id}-1798761600", true)]
    [InlineData($"event-{Id}-1798761600", NewsletterSectionKind.Events, $"event-{Id}-1799366400", false)]
    [InlineData("event-ffffffffffffffffffffffffffffffff", NewsletterSectionKind.Events, $"event-{Id}-1798761600", false)]
    [InlineData($"news-{Id}-1764547200", NewsletterSectionKind.News, $"news-{Id}", true)]
    [InlineData($"news-{Id}", NewsletterSectionKind.News, $"news-{Id}", true)]
    [InlineData("news-ffffffffffffffffffffffffffffffff-1764547200", NewsletterSectionKind.News, $"news-{Id}", false)]
    [InlineData($"opening-{Id}", NewsletterSectionKind.Openings, $"opening-{Id}-1764547200", false)]
    public void EntryOfThisIssue_IsInTheLastIssueSent_OnlyWhenAStoredKeyNamesIt(string storedKey, NewsletterSectionKind section, string key, bool contained)
    {
        var sent = SentEntries.Of(new NewsletterIssue("2026-12", DateTimeOffset.UnixEpoch, [Entry(section, storedKey)]));

        Assert.Equal(contained, sent.Contains(Entry(section, key)));
    }

    [Fact]
    public void NoIssueSentYet_ContainsNothing() =>
        Assert.False(SentEntries.Of(null).Contains(Entry(NewsletterSectionKind.News, $"news-{Id}")));

    private static NewsletterEntry Entry(NewsletterSectionKind section, string key) => new(section, key, "題", "Title", "本文", "Body", null);
}

using AlumniNetwork.Core.Newsletters;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class NewsSectionTests
{
    private static readonly DateTimeOffset ComposedAt = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);
    private readonly Mock<INewsItemStore> news = new();
    private readonly FakeTimeProvider time = new(ComposedAt);

    private static NewsItem Item(DateTimeOffset? until = null) =>
        new(NewsItem.NewId(), "同窓会のお知らせ", "Reunion", "本文", "Body", null, ComposedAt.AddDays(-10), until, ComposedAt.AddDays(-10));

    private NewsSection Section() => new(news.Object, time);

    private async Task<IReadOnlyList<NewsletterEntry>> ComposedAsync(params NewsItem[] items)
    {
        news.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(items);
        return await Section().EntriesAsync(ComposedAt, CancellationToken.None);
    }

    private void Stored(params NewsItem[] items)
    {
        foreach (var item in items)
        {
            news.Setup(s => s.GetAsync(item.Id, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        }
    }

    [Fact]
    public async Task StoredIssue_DropsNewsRemovedExpiredOrEditedSinceComposition_KeepsTheRest()
    {
        var (unchanged, removed, expired, edited) = (Item(), Item(), Item(until: ComposedAt.AddDays(1)), Item());
        var opening = new NewsletterEntry(NewsletterSectionKind.Openings, "opening-1", "募集", "Opening", "本文", "Text", null);
        var composed = (await ComposedAsync(unchanged, removed, expired, edited)).Append(opening).ToArray();
        Stored(unchanged, expired, edited with { TitleEn = "Reunion (new venue)", UpdatedAt = ComposedAt.AddHours(1) });

        // The batch goes out two days late: the expired item's window has closed.
        time.SetUtcNow(ComposedAt.AddDays(2));
        var sendable = await Section().StillSendableAsync(composed, ComposedAt, CancellationToken.None);

        Assert.Equal([$"news-{unchanged.Id}", "opening-1"], sendable.Select(e => e.Key));
        foreach (var item in new[] { unchanged, removed, expired, edited })
        {
            news.Verify(s => s.GetAsync(item.Id, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task StoredIssue_KeepsAnItemEditedBeforeComposition_ReadsAFirstFormKey_DropsAKeyNamingNone()
    {
        var (editedBefore, firstForm) = (Item() with { UpdatedAt = ComposedAt.AddMinutes(-1) }, Item());
        Stored(editedBefore, firstForm);
        var entries = new NewsletterEntry[]
        {
            new(NewsletterSectionKind.News, $"news-{editedBefore.Id}", "題", "Title", "本文", "Body", null),
            new(NewsletterSectionKind.News, $"news-{firstForm.Id}-{firstForm.UpdatedAt.ToUnixTimeSeconds()}", "題", "Title", "本文", "Body", null),
            new(NewsletterSectionKind.News, "news-1", "題", "Title", "本文", "Body", null),
        };

        var sendable = await Section().StillSendableAsync(entries, ComposedAt, CancellationToken.None);

        Assert.Equal([entries[0].Key, entries[1].Key], sendable.Select(e => e.Key));
        news.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}

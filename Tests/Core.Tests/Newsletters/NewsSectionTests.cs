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
    public async Task StoredIssue_DropsNewsRemovedOrExpired_KeepsTheRest()
    {
        var (unchanged, removed, expired) = (Item(), Item(), Item(until: ComposedAt.AddDays(1)));
        var opening = new NewsletterEntry(NewsletterSectionKind.Openings, "opening-1", "募集", "Opening", "本文", "Text", null);
        var composed = (await ComposedAsync(unchanged, removed, expired)).Append(opening).ToArray();
        Stored(unchanged, expired);

        // The batch goes out two days late: the expired item's window has closed.
        time.SetUtcNow(ComposedAt.AddDays(2));
        var sendable = await Section().StillSendableAsync(composed, ComposedAt, CancellationToken.None);

        Assert.Equal([composed[0], opening], sendable);
        foreach (var item in new[] { unchanged, removed, expired })
        {
            news.Verify(s => s.GetAsync(item.Id, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task StoredIssue_SendsAnItemEditedSinceComposition_AsItIsNow_UnderItsKey()
    {
        var (edited, other) = (Item(), Item());
        var composed = await ComposedAsync(edited, other);
        var fixedItem = edited with
        {
            TitleJa = "同窓会のお知らせ（会場変更）", TitleEn = "Reunion (new venue)", BodyJa = "新しい本文", BodyEn = "New body",
            Link = new Uri("https://example.com/reunion"), UpdatedAt = ComposedAt.AddHours(1),
        };
        Stored(fixedItem, other);

        time.SetUtcNow(ComposedAt.AddHours(2));
        var sendable = await Section().StillSendableAsync(composed, ComposedAt, CancellationToken.None);

        Assert.Equal(
            [new NewsletterEntry(NewsletterSectionKind.News, $"news-{edited.Id}", "同窓会のお知らせ（会場変更）", "Reunion (new venue)", "新しい本文", "New body", new Uri("https://example.com/reunion")), composed[1]],
            sendable);
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
        Assert.All(sendable, e => Assert.Equal(("同窓会のお知らせ", "Reunion", "本文", "Body"), (e.TitleJa, e.TitleEn, e.TextJa, e.TextEn)));
        news.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}

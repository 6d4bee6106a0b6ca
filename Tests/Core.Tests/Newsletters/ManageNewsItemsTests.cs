using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Newsletters;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class ManageNewsItemsTests
{
    private const string Body = """
        {"titleJa": "お知らせ", "titleEn": "News", "bodyJa": "本文", "bodyEn": "Body", "publishFrom": "2027-01-01T00:00:00+09:00"}
        """;

    /// <summary>
    /// Keys Table Storage refuses with a 400 (over 1 KiB; <c>/ \ # ?</c>; control characters), which would surface as a
    /// 500, and other shapes no item has (upper case, too short).
    /// </summary>
    public static TheoryData<string> MalformedIds => new()
    {
        new string('a', 1100), "a\\" + new string('b', 30), "a#" + new string('b', 30), "a?" + new string('b', 30), "a/" + new string('b', 30),
        "a\u0001" + new string('b', 30), "a\u007f" + new string('b', 30), new string('A', 32), "abc", "",
    };

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task MalformedId_IsNotFound_WithoutAStorageReadOrAnAuditEntry(string id)
    {
        var store = new Mock<INewsItemStore>(MockBehavior.Strict);
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var news = new ManageNewsItems(store.Object, audit.Object, new FakeTimeProvider());

        Assert.IsType<AdminOutcome<NewsItem>.NotFound>(await news.ReplaceAsync(id, System.Text.Encoding.UTF8.GetBytes(Body), seen: null, "admin", CancellationToken.None));
        Assert.IsType<AdminOutcome<string>.NotFound>(await news.DeleteAsync(id, "admin", CancellationToken.None));
        Assert.Null(await news.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public void NewIds_HaveTheShapeTheyAreCheckedFor() => Assert.True(NewsItem.IsId(NewsItem.NewId()));
}

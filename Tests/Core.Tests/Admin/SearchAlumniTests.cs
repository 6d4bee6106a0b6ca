using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class SearchAlumniTests
{
    private static readonly Alumnus Hanako = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", "Retail Banking", AlumnusStatus.Departed);
    private static readonly Alumnus Taro = AdminFixtures.Alumnus("Suzuki", "Taro", "taro.suzuki@example.com", "Markets", AlumnusStatus.Invited);
    private static readonly Alumnus Jane = AdminFixtures.Alumnus("Doe", "Jane", "JANE@EXAMPLE.ORG", "Retail Banking", AlumnusStatus.Joined);

    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;

    public SearchAlumniTests()
    {
        audited = audit.Captures();
        alumni.Lists(Hanako, Taro, Jane);
        consents.Histories(
            AdminFixtures.Consent(Hanako, ConsentPurpose.NetworkMembership),
            AdminFixtures.Consent(Taro, ConsentPurpose.Newsletter),
            AdminFixtures.Consent(Jane, ConsentPurpose.Newsletter, granted: true, daysAgo: 10),
            AdminFixtures.Consent(Jane, ConsentPurpose.Newsletter, granted: false, daysAgo: 2));
    }

    private SearchAlumni Handler() => new(alumni.Object, consents.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<SearchAlumni>.Instance);

    private async Task<AlumniSearchPage> SearchAsync(AlumniSearchRequest request) =>
        Assert.IsType<AdminOutcome<AlumniSearchPage>.Done>(await Handler().HandleAsync(request, "admin-sub", CancellationToken.None)).Value;

    public static TheoryData<string?, string?, string?, string?, string[]> Filters => new()
    {
        { null, null, null, null, ["花子", "Taro", "Jane"] },
        { "山田", null, null, null, ["花子"] },
        { "花子", null, null, null, ["花子"] },
        { "山田花子", null, null, null, ["花子"] },
        { "山田\u3000花子", null, null, null, ["花子"] },
        { "suzuki", null, null, null, ["Taro"] },
        { "TARO SUZUKI", null, null, null, ["Taro"] },
        { "suzuki taro", null, null, null, ["Taro"] },
        { "example.org", null, null, null, ["Jane"] },
        { "Hanako@Example", null, null, null, ["花子"] },
        { "ＪＡＮＥ", null, null, null, ["Jane"] },
        { "example", null, null, null, ["花子", "Taro", "Jane"] },
        { "nobody", null, null, null, [] },
        { "   ", null, null, null, ["花子", "Taro", "Jane"] },
        { null, "Retail Banking", null, null, ["花子", "Jane"] },
        { null, "retail banking", null, null, [] },
        { null, "Retail", null, null, [] },
        { null, null, "Invited", null, ["Taro"] },
        { null, null, "joined", null, ["Jane"] },
        { null, null, null, "Newsletter", ["Taro"] },
        { null, null, null, "networkmembership", ["花子"] },
        { null, null, null, "Events", [] },
        { null, "Retail Banking", "Departed", null, ["花子"] },
        { "example", "Retail Banking", null, "NetworkMembership", ["花子"] },
        { "taro", "Retail Banking", null, null, [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filters_CombineWithAnd(string? q, string? department, string? status, string? consent, string[] expectedGivenNames)
    {
        var page = await SearchAsync(new AlumniSearchRequest(q, department, status, consent, null));

        Assert.Equal(expectedGivenNames, page.Items.Select(i => i.GivenName));
        Assert.Null(page.NextPage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Newsletter")]
    public async Task PersonWhoseErasureIsUnderWay_IsNeverFound(string? consent)
    {
        var erasing = AdminFixtures.Alumnus("Suzuki", "Taro", "taro.suzuki@example.com", "Markets", AlumnusStatus.Invited);
        erasing.ErasureStartedAt = AdminFixtures.Now.AddHours(-3);
        alumni.Lists(Hanako, erasing, Jane);
        consents.Histories(AdminFixtures.Consent(erasing, ConsentPurpose.Newsletter));

        var page = await SearchAsync(new AlumniSearchRequest("taro", null, null, consent, null));

        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task WithoutConsentFilter_NeverReadsTheLedger()
    {
        await SearchAsync(new AlumniSearchRequest("example", null, "Joined", null, null));

        consents.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConsentFilter_ReadsTheLedgerOnlyForAlumniPassingTheOtherFilters()
    {
        await SearchAsync(new AlumniSearchRequest(null, "Markets", null, "Newsletter", null));

        consents.Verify(c => c.HistoryAsync(Taro.Id, It.IsAny<CancellationToken>()), Times.Once);
        consents.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(null, 100, 2)]
    [InlineData("2", 100, 3)]
    [InlineData("3", 50, null)]
    [InlineData("4", 0, null)]
    public async Task Pages_HoldAtMost100AndPointToTheNext(string? page, int expectedCount, int? expectedNext)
    {
        var many = Enumerable.Range(0, 250).Select(i => AdminFixtures.Alumnus("Sato", $"N{i:D3}", $"n{i}@example.com")).ToArray();
        alumni.Lists(many);

        var result = await SearchAsync(new AlumniSearchRequest(null, null, null, null, page));

        Assert.Equal(expectedCount, result.Items.Count);
        Assert.Equal(expectedNext, result.NextPage);
        var first = (int.Parse(page ?? "1", System.Globalization.CultureInfo.InvariantCulture) - 1) * 100;
        Assert.Equal(many.Skip(first).Take(100).Select(a => a.Id.Value), result.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Page_StopsReadingOnceTheNextMatchIsFound()
    {
        var read = 0;
        var many = Enumerable.Range(0, 500).Select(i => AdminFixtures.Alumnus("Sato", $"N{i:D3}", $"n{i}@example.com")).ToArray();
        alumni.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).Returns(() => Counting(many, () => read++));

        await SearchAsync(new AlumniSearchRequest(null, null, null, null, null));

        Assert.Equal(101, read);
    }

    public static TheoryData<string?, string?, string?, string?, string?, string> InvalidRequests => new()
    {
        { null, null, "Erased", null, null, "status" },
        { null, null, "1", null, null, "status" },
        { null, null, null, "Spam", null, "consent" },
        { null, null, null, "3", null, "consent" },
        { null, null, null, null, "0", "page" },
        { null, null, null, null, "-1", "page" },
        { null, null, null, null, "two", "page" },
        { null, null, null, null, "1.5", "page" },
        { null, null, null, null, "10001", "page" },
        { null, null, null, null, "99999999999", "page" },
        { new string('x', 201), null, null, null, null, "q" },
        { null, new string('x', 201), null, null, null, "department" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task BadQueryValue_IsInvalidNamingTheParameterAndReadsNothing(string? q, string? department, string? status, string? consent, string? page, string field)
    {
        var outcome = await Handler().HandleAsync(new AlumniSearchRequest(q, department, status, consent, page), "admin-sub", CancellationToken.None);

        var invalid = Assert.IsType<AdminOutcome<AlumniSearchPage>.Invalid>(outcome);
        Assert.Equal(field, Assert.Single(invalid.Errors).Field);
        alumni.Verify(a => a.ListAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task EveryBadValue_IsReportedAtOnce()
    {
        var outcome = await Handler().HandleAsync(new AlumniSearchRequest(null, null, "x", "y", "0"), "admin-sub", CancellationToken.None);

        Assert.Equal(["status", "consent", "page"], Assert.IsType<AdminOutcome<AlumniSearchPage>.Invalid>(outcome).Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task Search_IsAuditedWithFilterNamesButNeverTheSearchText()
    {
        await SearchAsync(new AlumniSearchRequest("山田", "Retail Banking", null, null, null));

        var entry = Assert.Single(audited);
        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumniSearch, "", "filters=q,department; page=1; results=1"), entry);
        Assert.DoesNotContain("山田", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Retail", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_RecordsTheAlumniItReturnedAsTheSubjectsOfItsEntry()
    {
        var subjects = new List<AlumnusId>();
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, IReadOnlyCollection<AlumnusId> ids, CancellationToken _) => { Assert.Equal(Assert.Single(audited), e); subjects.AddRange(ids); })
            .Returns(Task.CompletedTask);

        await SearchAsync(new AlumniSearchRequest(null, "Retail Banking", null, null, null));

        Assert.Equal([Hanako.Id, Jane.Id], subjects);
    }

    [Fact]
    public async Task NoFilters_AreAuditedAsNone()
    {
        await SearchAsync(new AlumniSearchRequest(null, null, null, null, null));

        Assert.Equal("filters=none; page=1; results=3", Assert.Single(audited).Detail);
    }

    public static TheoryData<string, AlumniSearchRequest> Bodies => new()
    {
        { "{}", new AlumniSearchRequest(null, null, null, null, null) },
        { """{"q": "山田 花子", "department": "Markets", "status": "Joined", "consent": "Newsletter", "page": 2}""", new AlumniSearchRequest("山田 花子", "Markets", "Joined", "Newsletter", "2") },
        { """{"q": null, "department": null, "status": null, "consent": null, "page": null}""", new AlumniSearchRequest(null, null, null, null, null) },
        { """{"page": 1.5}""", new AlumniSearchRequest(null, null, null, null, "1.5") },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Body_BecomesTheRequestItsQueryStringWas(string body, AlumniSearchRequest expected)
    {
        var (request, errors) = AlumniSearchBody.Parse(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Empty(errors);
        Assert.Equal(expected, request);
    }

    [Theory]
    [InlineData("""{"q": 1}""", "q")]
    [InlineData("""{"department": true}""", "department")]
    [InlineData("""{"status": ["Joined"]}""", "status")]
    [InlineData("""{"consent": {}}""", "consent")]
    [InlineData("""{"page": "2"}""", "page")]
    [InlineData("""{"page": false}""", "page")]
    [InlineData("""{"email": "hanako@example.net"}""", "$")]
    [InlineData("""{"<b>": 1}""", "$")]
    [InlineData("""{"q": "a", "q": "b"}""", "q")]
    [InlineData("""[]""", "$")]
    [InlineData("""null""", "$")]
    [InlineData("""{"q": "a""", "$")]
    public async Task BadBody_IsInvalidNamingTheFieldAndReadsNothing(string body, string field)
    {
        var outcome = await Handler().HandleAsync(System.Text.Encoding.UTF8.GetBytes(body), "admin-sub", CancellationToken.None);

        var invalid = Assert.IsType<AdminOutcome<AlumniSearchPage>.Invalid>(outcome);
        Assert.Equal(field, Assert.Single(invalid.Errors).Field);
        alumni.Verify(a => a.ListAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task BadBody_ReportsEveryProblemAtOnce()
    {
        var outcome = await Handler().HandleAsync("""{"q": 1, "page": "x", "salary": 1}"""u8.ToArray(), "admin-sub", CancellationToken.None);

        Assert.Equal(["$", "q", "page"], Assert.IsType<AdminOutcome<AlumniSearchPage>.Invalid>(outcome).Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task PostedSearch_IsTheSameSearchAndAuditEntry()
    {
        var page = Assert.IsType<AdminOutcome<AlumniSearchPage>.Done>(
            await Handler().HandleAsync("""{"q": "山田", "department": "Retail Banking"}"""u8.ToArray(), "admin-sub", CancellationToken.None)).Value;

        Assert.Equal(["花子"], page.Items.Select(i => i.GivenName));
        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumniSearch, "", "filters=q,department; page=1; results=1"), Assert.Single(audited));
    }

    private static async IAsyncEnumerable<Alumnus> Counting(IEnumerable<Alumnus> alumni, Action onRead)
    {
        foreach (var alumnus in alumni)
        {
            await Task.Yield();
            onRead();
            yield return alumnus;
        }
    }
}

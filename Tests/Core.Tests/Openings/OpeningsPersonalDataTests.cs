using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Rehires;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

/// <summary>The erasure's removal of a person from openings' approved flagged matches (ADR 0028).</summary>
public sealed class OpeningsPersonalDataTests
{
    private readonly AlumnusId erased = AlumnusId.New();
    private readonly AlumnusId other = AlumnusId.New();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly List<IReadOnlyList<AlumnusId>> written = [];

    public OpeningsPersonalDataTests()
    {
        openings.Setup(o => o.InterestsOfAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private OpeningsPersonalData Data() =>
        new(openings.Object, Mock.Of<IRehireStore>(r => r.OfAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()) == Task.FromResult<IReadOnlyList<Rehire>>(Array.Empty<Rehire>())));

    private static Opening Approved(params AlumnusId[] ids)
    {
        var opening = OpeningBuilders.Opening();
        opening.ApprovedFlagged = ids;
        return opening;
    }

    [Fact]
    public async Task OpeningChangedMeanwhile_IsReadAgain_AndTheIdRemovedFromTheFreshCopy_KeepingTheOthers()
    {
        var listed = Approved(erased);
        var fresh = Approved(erased, other);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([listed]);
        openings.Setup(o => o.GetAsync(listed.Id, It.IsAny<CancellationToken>())).ReturnsAsync(fresh);
        openings.Setup(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()))
            .Callback((Opening o, CancellationToken _) => written.Add(o.ApprovedFlagged))
            .ReturnsAsync(() => written.Count > 1); // the first write finds the opening changed

        await Data().RemoveAsync(erased, CancellationToken.None);

        Assert.Equal([[], [other]], written);
    }

    [Fact]
    public async Task OpeningsWithoutTheId_AreNotWritten()
    {
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([Approved(other), Approved()]);

        await Data().UnlinkAsync(erased, CancellationToken.None);

        openings.Verify(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OpeningThatKeepsChanging_Throws_SoTheErasureKeepsTheRecordForItsRetry()
    {
        var listed = Approved(erased);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([listed]);
        openings.Setup(o => o.GetAsync(listed.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Approved(erased));
        openings.Setup(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Data().RemoveAsync(erased, CancellationToken.None));
    }
}

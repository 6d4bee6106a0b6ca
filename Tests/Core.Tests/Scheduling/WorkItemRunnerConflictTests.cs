using Azure;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Scheduling;

/// <summary>
/// A storage conflict is retried, yet counted: one that never resolves lands in failed work with an error an operator
/// sees, while an outage is still retried for as long as it lasts (ADR 0016).
/// </summary>
public sealed class WorkItemRunnerConflictTests
{
    private const string Person = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Now);
    private readonly Mock<ILogger<WorkItemRunner>> logger = new();
    private readonly WorkItem item = WorkItem.Restore(WorkKinds.WelcomeInvitation, Person, Now.AddHours(-1), WorkItemStatus.Pending, Now, 1, "etag");

    public WorkItemRunnerConflictTests() => logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);

    private async Task<List<WorkRunOutcome>> RunRepeatedlyAsync(int runs, int status)
    {
        var store = new Mock<IWorkItemStore>();
        store.Setup(s => s.FindAsync(item.PartitionKey, item.RowKey, It.IsAny<CancellationToken>())).ReturnsAsync(item);
        store.Setup(s => s.TryUpdateAsync(item, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var runner = new WorkItemRunner(store.Object, Options.Create(new DispatchOptions { MaxAttempts = 5 }), clock, logger.Object);
        var outcomes = new List<WorkRunOutcome>();
        for (var run = 0; run < runs; run++)
        {
            outcomes.Add(await runner.RunAsync(item.ToMessage(), _ => throw new RequestFailedException(status, "The specified entity already exists."), CancellationToken.None));
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        return outcomes;
    }

    private void VerifyErrors(Times times) =>
        logger.Verify(l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.Is<It.IsAnyType>((state, _) => !state!.ToString()!.Contains(Person, StringComparison.Ordinal)),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), times);

    [Theory]
    [InlineData(409)]
    [InlineData(412)]
    public async Task ConflictThatNeverResolves_IsFailedAfterMaxAttempts_WithAnErrorNamingNoAlumnus(int status)
    {
        var outcomes = await RunRepeatedlyAsync(5, status);

        Assert.Equal([.. Enumerable.Repeat(WorkRunOutcome.RetryScheduled, 4), WorkRunOutcome.Failed], outcomes);
        Assert.Equal((WorkItemStatus.Failed, "RequestFailedException"), (item.Status, item.LastError));
        VerifyErrors(Times.Once());
    }

    [Fact]
    public async Task Outage_IsStillRetriedPastMaxAttempts_AndNeverFailed()
    {
        var outcomes = await RunRepeatedlyAsync(8, 503);

        Assert.All(outcomes, o => Assert.Equal(WorkRunOutcome.RetryScheduled, o));
        Assert.Equal(WorkItemStatus.Pending, item.Status);
        VerifyErrors(Times.Never());
    }
}

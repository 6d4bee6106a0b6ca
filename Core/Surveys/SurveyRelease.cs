using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Surveys;

/// <summary>The cells of one survey version as they stood when last released (ADR 0035), and the counts the next release is counted from.</summary>
/// <param name="Responses">The version's responses in the released cells.</param>
/// <param name="Changes">The version's changed answers in the released cells.</param>
/// <param name="Final">Released once the survey was closed: while it stays closed, nothing is released after it.</param>
public sealed record SurveySnapshot(
    string SurveyId, int Version, DateTimeOffset ReleasedAt, long Responses, long Changes, IReadOnlyList<SurveyCell> Cells, string? ETag = null,
    bool Final = false);

/// <summary>What the results say of their release: when it was, and what waits for the next one.</summary>
/// <param name="ReleasedAt">Null: nothing was released yet.</param>
/// <param name="Waiting">New answers since the release.</param>
/// <param name="ChangesWaiting">Answers changed since the release.</param>
/// <param name="Step">The k of the version: the figures move after every k new answers (or k changes), and all at the close.</param>
public sealed record ReleaseStatus(DateTimeOffset? ReleasedAt, long Waiting, long ChangesWaiting, int Step);

/// <summary>
/// The figures every results reader shows (report, CSV, API, dashboard) are a released snapshot of a version's cells, not
/// the live cells: refreshed only when at least k new answers (or, with none, k changed answers) arrived since the last
/// release, or once the survey is closed, so no two figures seen over time differ by fewer than k answers of the whole
/// (ADR 0035). The first read after the close releases once more, whatever waits, and that release is final: an answer
/// that was under way at the close and lands after it moves no figure, however long after. The release happens on read,
/// conditional on the snapshot read (ETag): idempotent, and a lost race reads the winner's snapshot.
/// </summary>
public sealed partial class SurveyRelease(ISurveyResponseStore responses, TimeProvider time, ILogger<SurveyRelease> logger)
{
    public const int MaxAttempts = 3;

    /// <summary>The version's released cells, after releasing the live ones when a release is due.</summary>
    public async Task<(IReadOnlyList<SurveyCell> Cells, ReleaseStatus Status)> CellsAsync(
        Survey survey, SurveyContent content, int version, CancellationToken cancellationToken)
    {
        var k = AnonymityThreshold.For(survey, content).K;
        // Closed by the admin or the daily run, not merely past ClosesAt: until then a new version may still reopen it, and
        // a final release then would keep the answers given after the reopening from ever being released.
        var closed = survey.Status == SurveyStatus.Closed;
        for (var attempt = 1; ; attempt++)
        {
            // The snapshot before the cells: the cells read after it are at least as new, and their counts only grow.
            var released = await responses.SnapshotAsync(survey.Id, version, cancellationToken);
            var live = (await responses.CellsAsync(survey.Id, cancellationToken)).Where(c => c.Wave.Version == version).ToArray();
            var total = ResponseTally.Sum(live.Select(c => c.Tally));
            if (!IsDue(total.Responses, total.Changes, released, k, closed) || attempt > MaxAttempts)
            {
                return (released?.Cells ?? [], Status(released, total, k, closed));
            }

            var next = new SurveySnapshot(survey.Id, version, time.GetUtcNow(), total.Responses, total.Changes, live, released?.ETag, Final: closed);
            if (await responses.TryReleaseAsync(next, cancellationToken))
            {
                LogReleased(survey.Id, version, closed);
                return (live, Status(next, total, k, closed));
            }
        }
    }

    /// <summary>
    /// While the survey is open, a release is due when at least k new answers came in, or when none did and at least k
    /// answers changed: a release then never adds fewer than k new answers, which a campaign that reached one or two
    /// people on a day would otherwise give away by difference. Once it is closed, exactly one more release is due (the
    /// final one, even with nothing new, so that it marks the figures final): an answer saved after that, one that was
    /// under way at the close, would otherwise be released alone and be the difference between two views.
    /// </summary>
    public static bool IsDue(long responses, long changes, SurveySnapshot? released, int k, bool closed)
    {
        var (added, changed) = (responses - (released?.Responses ?? 0), changes - (released?.Changes ?? 0));
        return closed ? released is not { Final: true } : added >= k || (added == 0 && changed >= k);
    }

    /// <summary>After the final release nothing waits: what landed after the close is never released, nor said to have come.</summary>
    private static ReleaseStatus Status(SurveySnapshot? released, ResponseTally live, int k, bool closed) => closed && released is { Final: true }
        ? new(released.ReleasedAt, 0, 0, k)
        : new(released?.ReleasedAt, live.Responses - (released?.Responses ?? 0), live.Changes - (released?.Changes ?? 0), k);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} version {Version}: results released (closed: {Closed})")]
    private partial void LogReleased(string surveyId, int version, bool closed);
}

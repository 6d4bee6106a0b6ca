using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real survey store, with hooks that put another request's writes between two steps of a publish or of an answer,
/// on real storage; every other member passes through.
/// </summary>
internal sealed class InterleavedSurveyStore(ISurveyStore inner) : ISurveyStore
{
    /// <summary>Runs once, before the first version write.</summary>
    public Func<Task>? BeforeVersionWrite { get; set; }

    /// <summary>While set, writing the survey row throws: the attempt stops there, as a process that dies.</summary>
    public bool StopAtSurveyWrite { get; set; }

    public async Task<bool> WriteVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken, string? ifMatch = null)
    {
        if (BeforeVersionWrite is { } run)
        {
            BeforeVersionWrite = null;
            await run();
        }

        return await inner.WriteVersionAsync(surveyId, version, content, cancellationToken, ifMatch);
    }

    public Task<bool> TryUpdateAsync(Survey survey, CancellationToken cancellationToken) =>
        StopAtSurveyWrite ? throw new OperationCanceledException("The attempt stopped before its survey row write.") : inner.TryUpdateAsync(survey, cancellationToken);

    public Task<bool> TryAddAsync(Survey survey, CancellationToken cancellationToken) => inner.TryAddAsync(survey, cancellationToken);

    public Task<Survey?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Survey>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> TryAddVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken) =>
        inner.TryAddVersionAsync(surveyId, version, content, cancellationToken);

    public Task<string?> VersionETagAsync(string surveyId, int version, CancellationToken cancellationToken) => inner.VersionETagAsync(surveyId, version, cancellationToken);

    public Task<SurveyContent?> GetVersionAsync(string surveyId, int version, CancellationToken cancellationToken) => inner.GetVersionAsync(surveyId, version, cancellationToken);

    /// <summary>
    /// Runs once, just after the next pseudonym key is read: the survey page has then read the survey as open, and reads
    /// the guard and the response next (a close in between).
    /// </summary>
    public Func<Task>? AfterNextKeyRead { get; set; }

    public async Task<byte[]?> KeyAsync(string surveyId, bool create, CancellationToken cancellationToken)
    {
        var key = await inner.KeyAsync(surveyId, create, cancellationToken);
        if (AfterNextKeyRead is { } after)
        {
            AfterNextKeyRead = null;
            await after();
        }

        return key;
    }

    public Task DestroyKeyAsync(string surveyId, CancellationToken cancellationToken) => inner.DestroyKeyAsync(surveyId, cancellationToken);

    public Task<bool> TryAddCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken) =>
        inner.TryAddCampaignAsync(surveyId, campaign, cancellationToken);

    public Task<IReadOnlyList<SurveyCampaign>> CampaignsAsync(string surveyId, CancellationToken cancellationToken) => inner.CampaignsAsync(surveyId, cancellationToken);

    public Task<bool> TryUpdateCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken) =>
        inner.TryUpdateCampaignAsync(surveyId, campaign, cancellationToken);
}

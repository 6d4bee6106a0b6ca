using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// The real store, except that <see cref="AfterNextKeyRead"/> runs once just after the next pseudonym key is read: the
/// survey page has then read the survey as open, and reads the guard and the response next (a close in between).
/// </summary>
internal sealed class ClosingSurveyStore(ISurveyStore inner) : ISurveyStore
{
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

    public Task<bool> TryAddAsync(Survey survey, CancellationToken cancellationToken) => inner.TryAddAsync(survey, cancellationToken);

    public Task<Survey?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<bool> TryUpdateAsync(Survey survey, CancellationToken cancellationToken) => inner.TryUpdateAsync(survey, cancellationToken);

    public Task<IReadOnlyList<Survey>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> TryAddVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken) =>
        inner.TryAddVersionAsync(surveyId, version, content, cancellationToken);

    public Task<string?> VersionETagAsync(string surveyId, int version, CancellationToken cancellationToken) => inner.VersionETagAsync(surveyId, version, cancellationToken);

    public Task<bool> WriteVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken, string? ifMatch = null) =>
        inner.WriteVersionAsync(surveyId, version, content, cancellationToken, ifMatch);

    public Task<SurveyContent?> GetVersionAsync(string surveyId, int version, CancellationToken cancellationToken) => inner.GetVersionAsync(surveyId, version, cancellationToken);

    public Task DestroyKeyAsync(string surveyId, CancellationToken cancellationToken) => inner.DestroyKeyAsync(surveyId, cancellationToken);

    public Task<bool> TryAddCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken) =>
        inner.TryAddCampaignAsync(surveyId, campaign, cancellationToken);

    public Task<IReadOnlyList<SurveyCampaign>> CampaignsAsync(string surveyId, CancellationToken cancellationToken) => inner.CampaignsAsync(surveyId, cancellationToken);

    public Task<bool> TryUpdateCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken) =>
        inner.TryUpdateCampaignAsync(surveyId, campaign, cancellationToken);
}

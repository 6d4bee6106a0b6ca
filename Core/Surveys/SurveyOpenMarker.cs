namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// Writes a survey's open marker (every answer's save is conditional on it, ADR 0025) only while the survey row says it is
/// open, and deletes it again when the row says otherwise right after the write: a close saves its row and then deletes
/// the marker, so one that did both between the first read and the write would otherwise find the marker back for good.
/// </summary>
public static class SurveyOpenMarker
{
    /// <returns>Whether the survey is open, its marker there.</returns>
    public static async Task<bool> MarkIfOpenAsync(ISurveyStore surveys, ISurveyResponseStore responses, string surveyId, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await surveys.GetAsync(surveyId, cancellationToken) is not { } survey || !survey.IsOpenAt(time.GetUtcNow()))
        {
            return false;
        }

        await responses.MarkOpenAsync(surveyId, cancellationToken);
        if (await surveys.GetAsync(surveyId, cancellationToken) is { } again && again.IsOpenAt(time.GetUtcNow()))
        {
            return true;
        }

        await responses.MarkClosedAsync(surveyId, cancellationToken);
        return false;
    }
}

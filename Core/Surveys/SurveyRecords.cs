using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Surveys;

/// <summary>One answer of a person to an attributed survey, with the version it answered (for their record and export).</summary>
public sealed record AttributedAnswer(string SurveyId, SurveyContent? Content, SurveyResponse Response);

/// <summary>
/// A person's survey data for their rights: the surveys they were sent (from the Sends ledger) and their answers to
/// attributed surveys, for the export; for erasure, their attributed answers are deleted with their free-text comment
/// rows (the aggregate cells keep counting them, without them) and, in open anonymous surveys, the guards their
/// pseudonyms kept (one per wave, and the first format's). Anonymous responses hold nothing that could be found, exported or erased per person (ADR 0025).
/// </summary>
public sealed class SurveyRecords(ISurveyStore surveys, ISurveyResponseStore responses, ISendLedger sends)
{
    public async Task<object> ExportAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var all = (await surveys.ListAsync(cancellationToken)).ToDictionary(s => s.Id);
        var sent = (await sends.ForAlumnusAsync(alumnus.Id, cancellationToken))
            .Select(s => (Send: s, Campaign: SurveyCampaigns.Parse(s.CampaignId)))
            .Where(s => s.Campaign is not null)
            .Select(s => new
            {
                survey = s.Campaign!.Value.Wave.SurveyId,
                title = all.GetValueOrDefault(s.Campaign.Value.Wave.SurveyId)?.Shown.Title,
                version = s.Campaign.Value.Wave.Version,
                wave = s.Campaign.Value.Wave.Wave,
                reminder = s.Campaign.Value.Reminder,
                s.Send.SentAt,
                state = s.Send.State.ToString(),
            })
            .ToArray();
        var answers = (await AttributedAnswersAsync(alumnus.Id, cancellationToken)).Select(a => new
        {
            survey = a.SurveyId,
            title = a.Content?.Title,
            version = a.Response.Wave.Version,
            wave = a.Response.Wave.Wave,
            a.Response.AnsweredAt,
            answers = a.Response.Answers.Values.Select(v => new { question = v.Key, text = a.Content?.Question(v.Key)?.Text, values = v.Value }),
        });
        return new
        {
            sent,
            attributedAnswers = answers,
            anonymousSurveys = "Answers to anonymous surveys are stored without anything that links them to you, so they cannot be listed here. " +
                "匿名アンケートの回答はあなたと結び付けずに保存されているため、ここには含まれません。",
        };
    }

    /// <summary>The person's answers to attributed surveys, oldest survey first.</summary>
    public async Task<IReadOnlyList<AttributedAnswer>> AttributedAnswersAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var answers = new List<AttributedAnswer>();
        foreach (var survey in (await surveys.ListAsync(cancellationToken)).Where(s => s.Version > 0 && s.Shown.Mode == SurveyMode.Attributed).Reverse())
        {
            foreach (var response in await responses.OfAlumnusAsync(survey.Id, alumnusId, cancellationToken))
            {
                answers.Add(new AttributedAnswer(survey.Id, await surveys.GetVersionAsync(survey.Id, response.Wave.Version, cancellationToken), response));
            }
        }

        return answers;
    }

    public async Task EraseAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        foreach (var survey in (await surveys.ListAsync(cancellationToken)).Where(s => s.Version > 0))
        {
            if (survey.Shown.Mode == SurveyMode.Attributed)
            {
                await EraseAnswersAsync(survey.Id, alumnusId, cancellationToken);
            }
            else if (await surveys.KeyAsync(survey.Id, create: false, cancellationToken) is { } key)
            {
                // Every wave's pseudonym of the person, and the one of the first format, the same in every wave.
                await responses.DeleteGuardsAsync(survey.Id, SurveyPseudonym.Matches(key, alumnusId), cancellationToken);
            }
        }
    }

    /// <summary>Deletes each attributed response with its comment rows; one changed meanwhile (a last answer) is read again.</summary>
    private async Task EraseAnswersAsync(string surveyId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < AnswerSurvey.MaxAttempts; attempt++)
        {
            var left = await responses.OfAlumnusAsync(surveyId, alumnusId, cancellationToken);
            if (left.Count == 0)
            {
                return;
            }

            foreach (var response in left)
            {
                var content = await surveys.GetVersionAsync(surveyId, response.Wave.Version, cancellationToken);
                await responses.TryDeleteAsync(response, content is null ? [] : SurveyComments.Of(content, response), cancellationToken);
            }
        }

        throw new InvalidOperationException($"Survey {surveyId}: an attributed answer kept changing while it was erased; the erasure must be run again.");
    }
}

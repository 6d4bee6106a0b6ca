using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// A person's survey data for their rights: the surveys they were sent (from the Sends ledger) and their answers to
/// attributed surveys, for the export; for erasure, their attributed answers are deleted (the aggregate cells keep
/// counting them, without them) and, in open anonymous surveys, the guards their pseudonym kept. Anonymous responses
/// hold nothing that could be found, exported or erased per person (ADR 0025).
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
        var answers = new List<object>();
        foreach (var survey in all.Values.Where(s => s.Version > 0 && s.Shown.Mode == SurveyMode.Attributed))
        {
            foreach (var response in await responses.OfAlumnusAsync(survey.Id, alumnus.Id, cancellationToken))
            {
                var content = await surveys.GetVersionAsync(survey.Id, response.Wave.Version, cancellationToken);
                answers.Add(new
                {
                    survey = survey.Id,
                    title = content?.Title,
                    version = response.Wave.Version,
                    wave = response.Wave.Wave,
                    response.AnsweredAt,
                    answers = response.Answers.Values.Select(a => new { question = a.Key, text = content?.Question(a.Key)?.Text, values = a.Value }),
                });
            }
        }

        return new
        {
            sent,
            attributedAnswers = answers,
            anonymousSurveys = "Answers to anonymous surveys are stored without anything that links them to you, so they cannot be listed here. " +
                "匿名アンケートの回答はあなたと結び付けずに保存されているため、ここには含まれません。",
        };
    }

    public async Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        foreach (var survey in (await surveys.ListAsync(cancellationToken)).Where(s => s.Version > 0))
        {
            if (survey.Shown.Mode == SurveyMode.Attributed)
            {
                await responses.DeleteAsync(await responses.OfAlumnusAsync(survey.Id, alumnus.Id, cancellationToken), cancellationToken);
            }
            else if (await surveys.KeyAsync(survey.Id, create: false, cancellationToken) is { } key)
            {
                await responses.DeleteGuardsAsync(survey.Id, SurveyPseudonym.Of(key, alumnus.Id), cancellationToken);
            }
        }
    }
}

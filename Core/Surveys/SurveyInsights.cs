using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// The dashboard's survey figures, per wave of every published survey: people reached, responses, and the eNPS
/// question's promoters, detractors and answers, with the month the wave started as its period (so the dashboard can
/// order them and the snapshot drops them after two years). Read from the aggregate cells and the survey's campaign
/// records: no response is read. Names are <c>survey.{id}.v{n}.{wave}.{figure}</c> (<see cref="Key"/>).
/// </summary>
public sealed class SurveyInsights(ISurveyStore surveys, ISurveyResponseStore responses, ICampaigns campaigns) : IInsightSource
{
    public const string Prefix = "survey.";
    public static readonly string[] Figures = ["sent", "responses", "promoters", "detractors", "enps-answered", "k"];

    public static string Key(string surveyId, int version, string wave, string figure) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}{surveyId}.v{version}.{wave}.{figure}");

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        foreach (var survey in (await surveys.ListAsync(cancellationToken)).Where(s => s.Version > 0))
        {
            var records = (await surveys.CampaignsAsync(survey.Id, cancellationToken)).Where(c => !c.Reminder).ToArray();
            var cells = await responses.CellsAsync(survey.Id, cancellationToken);
            var waves = records.Select(r => r.Wave).Concat(cells.Select(c => c.Wave)).Distinct().ToArray();
            var contents = new Dictionary<int, SurveyContent?>();
            foreach (var wave in waves)
            {
                if (!contents.TryGetValue(wave.Version, out var content))
                {
                    contents[wave.Version] = content = await surveys.GetVersionAsync(survey.Id, wave.Version, cancellationToken);
                }

                var ofWave = records.Where(r => r.Wave == wave).ToArray();
                var period = InsightPeriods.Month(ofWave.Length > 0 ? ofWave.Min(r => r.StartedAt) : collector.Now);
                long sent = 0;
                foreach (var record in ofWave)
                {
                    sent += record.Settled ? record.Sent : (await campaigns.GetProgressAsync(record.CampaignId, cancellationToken))?.Sent ?? 0;
                }

                var tally = ResponseTally.Sum(cells.Where(c => c.Wave == wave).Select(c => c.Tally));
                var enps = content?.EnpsQuestion is { } question ? tally.Of(question.Id) : new QuestionTally();
                var figures = new long[]
                {
                    sent, tally.Responses, enps.CountOf("9") + enps.CountOf("10"), Enumerable.Range(0, 7).Sum(s => enps.CountOf(AnswerSurvey.Score(s))),
                    enps.Answered, survey.Shown.MinimumGroupSize,
                };
                for (var i = 0; i < Figures.Length; i++)
                {
                    collector.Set(Key(survey.Id, wave.Version, wave.Wave, Figures[i]), figures[i], period: period);
                }
            }
        }
    }
}

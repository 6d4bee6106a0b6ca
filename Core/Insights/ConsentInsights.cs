using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Insights;

/// <summary>
/// How many alumni had each purpose granted at the end of each of the last 12 months (the company's months, ending at its
/// midnight; the current month: now), from one pass over the consent ledger. Only people still held count: an erasure keeps some consent entries for their legal
/// retention, and those are not consent of anyone in the network; nor do a person's entries while their erasure is under
/// way, as they count as erased (<see cref="IAlumniStore.HeldIdsAsync"/>). Closed months freeze, so the retention purge of
/// withdrawn entries does not rewrite them.
/// </summary>
public sealed class ConsentInsights(IAlumniStore alumni, IConsentLedger consents) : IInsightSource
{
    public const int Months = 12;

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        var held = new HashSet<AlumnusId>();
        await foreach (var id in alumni.HeldIdsAsync(cancellationToken))
        {
            held.Add(id);
        }

        var months = InsightPeriods.LastMonths(collector.Today, Months);
        var ends = months.Select(m => m == months[^1] ? collector.Now : collector.Calendar.EndOfMonth(m)).ToArray();
        var granted = new long[ConsentPurposes.All.Count, months.Count];
        var history = new List<ConsentRecord>();
        await foreach (var record in consents.AllAsync(cancellationToken))
        {
            if (history.Count > 0 && history[0].AlumnusId != record.AlumnusId)
            {
                Count(history, held, ends, granted);
                history.Clear();
            }

            history.Add(record);
        }

        Count(history, held, ends, granted);
        foreach (var purpose in ConsentPurposes.All)
        {
            for (var m = 0; m < months.Count; m++)
            {
                var month = InsightPeriods.Month(months[m]);
                collector.Set(InsightKeys.ConsentGranted(purpose.ToString(), month), granted[(int)purpose, m], MetricMerge.FreezeWhenClosed, month);
            }
        }
    }

    private static void Count(List<ConsentRecord> history, HashSet<AlumnusId> held, DateTimeOffset[] ends, long[,] granted)
    {
        if (history.Count == 0 || !held.Contains(history[0].AlumnusId))
        {
            return;
        }

        for (var m = 0; m < ends.Length; m++)
        {
            var state = ConsentState.From(history.Where(r => r.At < ends[m]));
            foreach (var purpose in state.Granted)
            {
                granted[(int)purpose, m]++;
            }
        }
    }
}

using System.Globalization;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// A promotional campaign that claimed an alumnus at <paramref name="At"/>, in batch <paramref name="Batch"/> (0 for a
/// one-to-one send): ids and a time, no personal data. The batch tells a batch that resumes its own claim from a batch
/// that must leave the person alone because another one of the same campaign has them.
/// </summary>
public sealed record OutreachContact(string CampaignId, int Batch, DateTimeOffset At)
{
    /// <summary>The batch of a one-to-one send (<see cref="OutreachGate"/>): campaign batches are numbered from 1.</summary>
    public const int OneToOne = 0;

    /// <summary>How long contacts are kept on the alumnus: the admin view shows a year of outreach.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(366);

    /// <summary><c>campaign.batch@unixSeconds</c> entries joined by ';' (campaign ids hold none of '.', '@', ';').</summary>
    public static string Format(IEnumerable<OutreachContact> contacts) =>
        string.Join(';', contacts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.CampaignId}.{c.Batch}@{c.At.ToUnixTimeSeconds()}")));

    public static IReadOnlyList<OutreachContact> Parse(string? value)
    {
        var contacts = new List<OutreachContact>();
        foreach (var entry in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.LastIndexOf('@');
            var dot = entry.LastIndexOf('.', Math.Max(at, 0));
            if (dot > 0 && at > dot &&
                int.TryParse(entry.AsSpan(dot + 1, at - dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var batch) &&
                long.TryParse(entry.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                contacts.Add(new OutreachContact(entry[..dot], batch, DateTimeOffset.FromUnixTimeSeconds(seconds)));
            }
        }

        return contacts;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>
/// Our id of one attempt at one send: campaign, recipient and attempt number, ids only. Every mail carries it in its
/// custom args (<see cref="CustomArg"/>) and SendGrid returns it on every event about that mail, which is how an unknown
/// outcome is resolved from evidence. A batch send gives each personalization its own.
/// </summary>
public readonly partial record struct SendId(string CampaignId, AlumnusId AlumnusId, int Attempt)
{
    public const string CustomArg = "sendId";
    public const int MaxAttempt = 99;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CampaignId}/{AlumnusId.Value}/{Attempt}");

    public static bool TryParse(string? text, out SendId id)
    {
        id = default;
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 3 || !CampaignPattern().IsMatch(parts[0]) || !AlumnusId.TryParse(parts[1], out var alumnusId) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt is < 1 or > MaxAttempt)
        {
            return false;
        }

        id = new SendId(parts[0], alumnusId, attempt);
        return true;
    }

    /// <summary>Campaign ids are ours: lower-case letters, digits and '-' (page suffixes included), so they split cleanly.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex CampaignPattern();
}

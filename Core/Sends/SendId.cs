using System.Globalization;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Sends;

/// <summary>
/// Our id of one attempt at one send: campaign, recipient and attempt number, ids only. Every mail carries it in its
/// custom args (<see cref="CustomArg"/>) and SendGrid returns it on every event about that mail, which is how an unknown
/// outcome is resolved from evidence. A batch send gives each personalization its own.
/// </summary>
/// <param name="RecipientKey">The alumnus id (32 hex characters) or, for someone who is not an alumnus (a current
/// employee invited by work address), a keyed pseudonym of the address (64 hex characters): never an address.</param>
public readonly partial record struct SendId(string CampaignId, string RecipientKey, int Attempt)
{
    public const string CustomArg = "sendId";
    public const int MaxAttempt = 99;

    public SendId(string campaignId, AlumnusId alumnusId, int attempt)
        : this(campaignId, alumnusId.Value, attempt)
    {
    }

    /// <summary>The alumnus the send went to, when it went to one.</summary>
    public AlumnusId? AlumnusId => Alumni.AlumnusId.TryParse(RecipientKey, out var id) ? id : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CampaignId}/{RecipientKey}/{Attempt}");

    public static bool TryParse(string? text, out SendId id)
    {
        id = default;
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 3 || !CampaignPattern().IsMatch(parts[0]) || !RecipientPattern().IsMatch(parts[1]) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt is < 1 or > MaxAttempt)
        {
            return false;
        }

        id = new SendId(parts[0], parts[1], attempt);
        return true;
    }

    /// <summary>Campaign ids are ours: lower-case letters, digits and '-' (page suffixes included), so they split cleanly.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex CampaignPattern();

    /// <summary>An alumnus id, or a keyed pseudonym of a non-alumnus address.</summary>
    [GeneratedRegex("^[0-9a-f]{32}([0-9a-f]{32})?$")]
    private static partial Regex RecipientPattern();
}

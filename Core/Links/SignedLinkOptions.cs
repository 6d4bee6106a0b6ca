using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Links;

public sealed class SignedLinkOptions : IValidatableObject
{
    public const string SectionName = "Links";

    /// <summary>Key id used to sign new links. Older ids stay in <see cref="Keys"/> so links in inboxes keep working.</summary>
    [Required]
    public string ActiveKeyId { get; set; } = "";

    /// <summary>Signing keys by key id, each base64 of at least 32 random bytes.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>How long a join link works (default 30 days).</summary>
    public TimeSpan JoinLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Lifetimes of the other purposes, overriding the defaults: preferences, profile 90 days; export, erase 7 days;
    /// unsubscribe 400 days (it must work from old emails); survey 60 days; RSVP, openings 90 days; collaboration card and
    /// directory 90 days; the answer to a collaboration request 30 days.
    /// </summary>
    public Dictionary<LinkPurpose, TimeSpan> Lifetimes { get; set; } = [];

    public TimeSpan LifetimeOf(LinkPurpose purpose) => Lifetimes.TryGetValue(purpose, out var configured) ? configured : purpose switch
    {
        LinkPurpose.Join => JoinLifetime,
        LinkPurpose.Preferences or LinkPurpose.Profile or LinkPurpose.Rsvp or LinkPurpose.Openings => TimeSpan.FromDays(90),
        LinkPurpose.Export or LinkPurpose.Erase => TimeSpan.FromDays(7),
        LinkPurpose.Unsubscribe => TimeSpan.FromDays(400),
        LinkPurpose.Survey => TimeSpan.FromDays(60),
        LinkPurpose.CollaborationCard or LinkPurpose.CollaborationDirectory => TimeSpan.FromDays(90),
        LinkPurpose.CollaborationAnswer => TimeSpan.FromDays(30),
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "No lifetime configured."),
    };

    /// <summary>Checked at start-up, so an unresolved Key Vault reference fails the start, not the first request.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Keys.ContainsKey(ActiveKeyId))
        {
            yield return new ValidationResult($"must name a key in {nameof(Keys)}", [nameof(ActiveKeyId)]);
        }

        foreach (var (keyId, value) in Keys)
        {
            if (Validation.Base64Key.Decode(value) is not { Length: >= 32 })
            {
                yield return new ValidationResult($"key '{keyId}' must be base64 of at least 32 bytes", [nameof(Keys)]);
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Links;

public sealed class SignedLinkOptions
{
    public const string SectionName = "Links";

    /// <summary>Key id used to sign new links. Older ids stay in <see cref="Keys"/> so links in inboxes keep working.</summary>
    [Required]
    public string ActiveKeyId { get; set; } = "";

    /// <summary>Signing keys by key id, each base64 of at least 32 random bytes.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>How long a join link works (default 30 days).</summary>
    public TimeSpan JoinLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan LifetimeOf(LinkPurpose purpose) => purpose switch
    {
        LinkPurpose.Join => JoinLifetime,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "No lifetime configured."),
    };
}

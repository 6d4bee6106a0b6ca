using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>Why the company keeps an organisation in the conflict-of-interest register.</summary>
public enum ConflictCategory
{
    Competitor,

    /// <summary>A client the company is working for now.</summary>
    ClientUnderEngagement,

    /// <summary>An audit client, where independence rules apply.</summary>
    AuditClient,

    Regulator,
}

/// <summary>
/// One organisation in the register kept by the compliance team: its name, the other ways it is written (kana and kanji
/// spellings, English names, former names) and, optionally, how long someone who leaves it stays flagged (cooling-off).
/// </summary>
/// <param name="Id">32 lower-case hex characters.</param>
/// <param name="CoolingOffDays">Days an alumnus stays flagged after their current employer stops matching; null for none.</param>
public sealed record RegisterEntry(
    string Id, string Name, ConflictCategory Category, IReadOnlyList<string> Aliases, int? CoolingOffDays, string UpdatedBy, DateTimeOffset UpdatedAt)
{
    public const int MaxNameLength = 200;
    public const int MaxAliases = 20;
    public const int MaxCoolingOffDays = 3650;

    /// <summary>Optimistic-concurrency token of the stored entry; null for a new one.</summary>
    public string? ETag { get; init; }

    /// <summary>The keyed hash of the form that added it with an idempotency key (ADR 0037); null when added without one. Kept by a change.</summary>
    public string? CreateHash { get; init; }

    /// <summary>The name, then each alias.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    /// <summary>The matching key of each name (<see cref="OrganisationName.Key"/>), distinct.</summary>
    public IReadOnlySet<string> Keys => Names.Select(OrganisationName.Key).ToHashSet(StringComparer.Ordinal);

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>An entry as an admin typed it in the register form, before it is checked.</summary>
/// <param name="Aliases">One name a line.</param>
public sealed record RegisterForm(string? Name, string? Category, string? Aliases, string? CoolingOffDays)
{
    public const string NameField = "name";
    public const string CategoryField = "category";
    public const string AliasesField = "aliases";
    public const string CoolingOffField = "coolingOffDays";

    /// <summary>
    /// The checked entry (with <paramref name="id"/>, <paramref name="actor"/> and <paramref name="now"/>), or every rule it breaks:
    /// each name must keep letters or digits once legal forms, spaces and punctuation are gone, and no two of its names
    /// may be the same name once normalised. Names held by other entries are the store's to refuse.
    /// </summary>
    public (RegisterEntry? Entry, IReadOnlyList<FieldError> Errors) Parse(string id, string actor, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var name = Text(Name);
        if (name.Length == 0)
        {
            errors.Add(new FieldError(NameField, "is required"));
        }
        else if (Broken(name, errors, NameField) is null && OrganisationName.Key(name).Length == 0)
        {
            errors.Add(new FieldError(NameField, EmptyKeyRule));
        }

        if (!EnumNames.TryParse<ConflictCategory>(Category, ignoreCase: false, out var category))
        {
            errors.Add(new FieldError(CategoryField, $"must be one of {EnumNames.List<ConflictCategory>()}"));
        }

        var aliases = (Aliases ?? "").Split('\n').Select(Text).Where(a => a.Length > 0).ToArray();
        if (aliases.Length > RegisterEntry.MaxAliases)
        {
            errors.Add(new FieldError(AliasesField, $"must be at most {RegisterEntry.MaxAliases} names, one a line"));
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name.Length > 0 && OrganisationName.Key(name) is { Length: > 0 } nameKey)
        {
            seen[nameKey] = name;
        }

        for (var line = 0; line < aliases.Length && aliases.Length <= RegisterEntry.MaxAliases; line++)
        {
            var alias = aliases[line];
            var field = $"{AliasesField}[{line}]";
            if (Broken(alias, errors, field) is not null)
            {
                continue;
            }

            var key = OrganisationName.Key(alias);
            if (key.Length == 0)
            {
                errors.Add(new FieldError(field, EmptyKeyRule));
            }
            else if (!seen.TryAdd(key, alias))
            {
                errors.Add(new FieldError(field, $"is the same name as 「{seen[key]}」 once normalised; list each name once"));
            }
        }

        int? coolingOff = null;
        if (!string.IsNullOrWhiteSpace(CoolingOffDays))
        {
            if (int.TryParse(CoolingOffDays.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) &&
                days is >= 1 and <= RegisterEntry.MaxCoolingOffDays)
            {
                coolingOff = days;
            }
            else
            {
                errors.Add(new FieldError(CoolingOffField, $"must be a whole number of days from 1 to {RegisterEntry.MaxCoolingOffDays}, or empty for none"));
            }
        }

        return errors.Count > 0 ? (null, errors) : (new RegisterEntry(id, name, category, aliases, coolingOff, actor, now), errors);
    }

    public static RegisterForm From(RegisterEntry entry) =>
        new(entry.Name, entry.Category.ToString(), string.Join('\n', entry.Aliases), entry.CoolingOffDays?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public const string EmptyKeyRule = "must keep letters or digits once legal forms (株式会社, (株), Co., Ltd., Inc. …), spaces and punctuation are removed";

    private static string Text(string? value) => (value ?? "").Trim();

    /// <returns>The rule a name breaks (length, control or text-direction characters), added to <paramref name="errors"/>; null when it breaks none.</returns>
    private static string? Broken(string text, List<FieldError> errors, string field)
    {
        string? rule = text.Length > RegisterEntry.MaxNameLength ? $"must be at most {RegisterEntry.MaxNameLength} characters"
            : text.Any(char.IsControl) ? "must not contain control characters"
            : text.Any(FreeText.IsMisleading) ? FreeText.MisleadingRule
            : null;
        if (rule is not null)
        {
            errors.Add(new FieldError(field, rule));
        }

        return rule;
    }
}

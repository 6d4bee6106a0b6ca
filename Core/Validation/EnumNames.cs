namespace AlumniNetwork.Core.Validation;

/// <summary>
/// Enum values from outside, by name only. <see cref="Enum.TryParse{TEnum}(string?, out TEnum)"/> also takes numbers
/// ("1", "-1") and combinations ("Private, Alumni"), none of which the messages that list the names allow.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, bool ignoreCase, out T value)
        where T : struct, Enum
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, comparison));
        value = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }

    /// <summary>The names, for a rule such as "must be one of Private, Alumni, Employees".</summary>
    public static string List<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());
}

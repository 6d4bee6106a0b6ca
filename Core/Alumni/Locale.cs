namespace AlumniNetwork.Core.Alumni;

/// <summary>The languages every alumni-facing page and email is written in.</summary>
public enum Locale
{
    Japanese,
    English,
}

public static class Locales
{
    public const string JapaneseTag = "ja-JP";
    public const string EnglishTag = "en-US";

    public static bool TryParse(string? tag, out Locale locale)
    {
        switch (tag)
        {
            case JapaneseTag:
                locale = Locale.Japanese;
                return true;
            case EnglishTag:
                locale = Locale.English;
                return true;
            default:
                locale = default;
                return false;
        }
    }

    public static string ToTag(this Locale locale) => locale == Locale.Japanese ? JapaneseTag : EnglishTag;
}

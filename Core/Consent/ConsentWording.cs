namespace AlumniNetwork.Core.Consent;

/// <summary>Versions of the wording shown when consent is asked for; the ledger records which one the alumnus saw.</summary>
public static class ConsentWording
{
    public const string Join = "join-2026-11";
    public const string Preferences = "preferences-2026-11";
    public const string Unsubscribe = "unsubscribe-2026-11";
}

namespace AlumniNetwork.Functions.Hosting.Configuration;

/// <summary>
/// The configuration keys the app cannot start without. One list, read by the start-up check and by the
/// infrastructure tests that prove the Bicep deployment provides every one of them.
/// </summary>
public static class RequiredSettings
{
    /// <summary>Keys in configuration form (<c>Section:Key</c>); app settings spell them <c>Section__Key</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Company:Name",
        "Company:TimeZone",
        "Company:PublicBaseUrl",
        "Hris:WebhookSecrets:0",
        "Links:ActiveKeyId",
        "SendGrid:ApiKey",
        "SendGrid:FromEmail",
        "SendGrid:FromName",
        "SendGrid:EventWebhookPublicKey",
        "AdminAuth:Audience",
        "DispatchSchedule",
        "Outreach:PostalAddress",
        "Outreach:EnquiryContact",
        "Privacy:PseudonymKey",
    ];

    /// <summary>Storage is required too, but either form satisfies it.</summary>
    public static IReadOnlyList<string> StorageAlternatives { get; } =
    [
        "Storage:ConnectionString",
        "Storage:TableServiceUri",
    ];
}

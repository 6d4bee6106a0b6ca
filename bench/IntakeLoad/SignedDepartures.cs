using System.Globalization;
using System.Text;
using AlumniNetwork.Core.Webhooks;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>Departure webhooks as an HR system sends them, signed with the development secret.</summary>
internal sealed class SignedDepartures(string secret)
{
    public static SignedDepartures FromDevelopmentSettings() => new(Repository.DevelopmentSetting("Hris", "WebhookSecrets", "0"));

    public HttpRequestMessage Create(string employeeId, string email, DateOnly lastWorkingDay)
    {
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes(
            "{\"type\":\"employee.departed\",\"timestamp\":\"" + DateTimeOffset.FromUnixTimeSeconds(timestamp).ToString("O", CultureInfo.InvariantCulture) + "\",\"data\":{\"employeeId\":\"" + employeeId + "\",\"givenName\":\"花子\",\"familyName\":\"山田\"," +
            "\"personalEmail\":\"" + email + "\",\"lastWorkingDay\":\"" + lastWorkingDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) +
            "\",\"reason\":\"voluntary\",\"locale\":\"ja-JP\"}}");
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/hris/departures") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookVerifier.Sign(secret, id, timestamp, body));
        return request;
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Support;

internal static class AlumniSeeds
{
    /// <summary>Records a departure through the webhook, as the HR system would, and returns the new alumnus id.</summary>
    public static async Task<AlumnusId> DepartAsync(this TestApp app, string locale = "ja-JP", string givenName = "花子", string familyName = "山田", string employeeId = "E12345", string lastWorkingDay = "2026-11-30")
    {
        var response = await app.PostSignedAsync(Departures.Body(employeeId: employeeId, locale: locale, givenName: givenName, familyName: familyName, lastWorkingDay: lastWorkingDay));
        response.EnsureSuccessStatusCode();
        return AlumnusId.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!);
    }

    public static string JoinPath(this TestApp app, AlumnusId id, DateTimeOffset? issuedAt = null)
    {
        var links = issuedAt is null
            ? app.Services.GetRequiredService<LinkTokenService>()
            : new LinkTokenService(app.Services.GetRequiredService<IOptions<SignedLinkOptions>>(), new FakeTimeProvider(issuedAt.Value));
        return $"api/alumni/join?token={Uri.EscapeDataString(links.Issue(LinkPurpose.Join, id))}";
    }
}

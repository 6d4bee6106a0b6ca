using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Azure.Storage.Queues;

namespace AlumniNetwork.Functions.Tests.EndToEnd;

/// <summary>
/// A collaboration request as it runs locally, through the local trigger host's timer and queues: register entry →
/// profile flags the alumnus → request waits for compliance → approval in the console → DispatchDueWork →
/// collaboration-mail → SendCollaborationMail → the sink → accept from the email's own link → the requester told.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class CollaborationRequestTests(AzuriteFixture azurite)
{
    private const string Conflicts = "/api/console/conflicts";
    private static readonly string[] Queues = ["collaboration-mail", "conflict-checks"];

    [Fact]
    public async Task RequestToAFlaggedAlumnus_ApprovedByCompliance_IsDeliveredAcceptedOnce_AndTheRequesterGetsTheAddress()
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        foreach (var name in Queues.SelectMany(q => new[] { q, q + "-deadletter" }))
        {
            await service.GetQueueClient(name).CreateIfNotExistsAsync();
            await service.GetQueueClient(name).ClearMessagesAsync();
        }

        await using var app = await TestApp.StartAsync(azurite, WelcomeQueue.LocalRunSettings());
        using var compliance = await ConsoleClient.SignedInAsync(app, AdminRoles.Compliance);
        var added = await compliance.PostFormFromAsync(Conflicts, Conflicts + "/entries", ("name", "株式会社サンプル商事"), ("category", "ClientUnderEngagement"),
            ("aliases", ""), ("coolingOffDays", ""));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var alumnus = await app.CollaboratorAsync(employer: "ｻﾝﾌﾟﾙ商事（株）");

        var requestId = await app.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        var decided = await compliance.PostFormFromAsync(Conflicts + "/approvals", Conflicts + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "approve"), ("reason", "クライアント担当と無関係の提案"));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Any(m => m.Categories.Contains(CollaborationMail.RequestCategory)),
            "the request email reached the sink");

        var request = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.RequestCategory));
        var accept = AcceptLink().Match(request.Text ?? "").Value;
        var token = Uri.UnescapeDataString(Regex.Match(accept, "token=([^&\\s]+)").Groups[1].Value);
        var page = await app.Client.GetStringAsync(new Uri(accept).PathAndQuery);
        var answer = () => app.Client.PostAsync(new Uri(accept).AbsolutePath,
            new FormUrlEncodedContent([KeyValuePair.Create("token", token), KeyValuePair.Create("choice", "accept")]));
        var accepted = await answer();
        var again = await answer();
        await Eventually.TrueAsync(async () => (await app.OutboxAsync()).Any(m => m.Categories.Contains(CollaborationMail.AnswerCategory)),
            "the requester was told");

        Assert.Contains("決済分野での共同提案", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (accepted.StatusCode, again.StatusCode));
        var told = Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.AnswerCategory));
        Assert.Equal(["sato.ichiro@corp.example.com"], told.To);
        Assert.Contains(request.To[0], told.Text, StringComparison.Ordinal);
        Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("Accepted", (await app.RowsAsync(AlumniTables.CollaborationRequests)).Single(r => r.RowKey == requestId).GetString("Status"));
        foreach (var name in Queues)
        {
            Assert.Equal(0, await service.GetQueueClient(name + "-deadletter").ApproximateCountAsync());
        }
    }

    [GeneratedRegex(@"https?://\S+/api/alumni/collaboration/answer\?\S*choice=accept\S*")]
    private static partial Regex AcceptLink();
}

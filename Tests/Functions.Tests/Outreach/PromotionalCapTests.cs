using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Outreach;

/// <summary>
/// The promotional cap held across both send paths on Azurite (ADR 0006, ADR 0023): a one-to-one promotional send claims
/// its place on the alumnus's row as a campaign batch does, so each path counts the other's mail and no two take the last place.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PromotionalCapTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> CapOfOne = new() { ["Outreach:MaxPromotionalEmails"] = "1" };

    /// <summary>A collaboration request's mail through the single send path, in its own scope, the alumnus read fresh as its handler reads it.</summary>
    private static async Task<SendOutcome> SendOneToOneAsync(TestApp app, AlumnusId id, string campaignId)
    {
        using var scope = app.Services.CreateScope();
        var alumnus = (await scope.ServiceProvider.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;
        return await scope.ServiceProvider.GetRequiredService<OutreachSender>().SendAsync(alumnus, campaignId, ConsentPurpose.Collaboration, stillWanted: true,
            () => new EmailMessage(alumnus.PersonalEmail, alumnus.FamilyName, "A request to collaborate", "<p>A request</p>", "A request", ["collaboration"],
                new Dictionary<string, string> { ["campaign"] = campaignId, ["alumnusId"] = alumnus.Id.Value }),
            CancellationToken.None);
    }

    [Fact]
    public async Task OneToOneSendAfterPlanning_CountsTowardsTheCap_SoTheBatchRefusesThatPersonWithTheCap()
    {
        await using var app = await TestApp.StartAsync(azurite, CapOfOne);
        var members = await app.SeedMembersAsync(5, [ConsentPurpose.Newsletter, ConsentPurpose.Collaboration]);
        var campaign = await app.StartAndPlanAsync("newsletter-cap-one-to-one");

        Assert.Equal(SendStatus.Sent, (await SendOneToOneAsync(app, members[0].Id, "collaboration-r1")).Status);
        await app.SendBatchAsync(campaign, 1);

        var mails = await app.OutboxAsync();
        Assert.Equal(5, mails.Count);
        Assert.Single(mails, m => m.To[0] == members[0].PersonalEmail.Value);
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal((4, 1), (progress.Sent, progress.Skipped.GetValueOrDefault("cap")));
    }

    [Fact]
    public async Task TwoOneToOneSendsRacingForTheLastPlace_ExactlyOneGoesToEachPerson()
    {
        await using var app = await TestApp.StartAsync(azurite, CapOfOne);
        var members = await app.SeedMembersAsync(30, [ConsentPurpose.Collaboration]);

        var outcomes = await Task.WhenAll(members.SelectMany(m => new[] { "collaboration-race-a", "collaboration-race-b" }
            .Select(campaign => Task.Run(() => SendOneToOneAsync(app, m.Id, campaign)))));

        Assert.Equal(30, outcomes.Count(o => o.Status == SendStatus.Sent));
        Assert.Equal(30, outcomes.Count(o => o is { Status: SendStatus.Refused, Reason: "cap" }));
        var mails = await app.OutboxAsync();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => m.To[0]).Order());
    }

    [Fact]
    public async Task OneToOneSendsAndABatchRacingForTheLastPlace_EachPersonGetsOne()
    {
        await using var app = await TestApp.StartAsync(azurite, CapOfOne);
        var members = await app.SeedMembersAsync(20, [ConsentPurpose.Newsletter, ConsentPurpose.Collaboration]);
        var campaign = await app.StartAndPlanAsync("newsletter-cap-race");

        var batch = Task.Run(() => app.SendBatchAsync(campaign, 1));
        var oneToOne = await Task.WhenAll(members.Select(m => Task.Run(() => SendOneToOneAsync(app, m.Id, "collaboration-race"))));
        await batch;

        var mails = await app.OutboxAsync();
        Assert.Equal(members.Select(m => m.PersonalEmail.Value).Order(), mails.Select(m => m.To[0]).Order());
        var progress = await app.ProgressAsync(campaign.Id);
        Assert.Equal(20, progress.Sent + oneToOne.Count(o => o.Status == SendStatus.Sent));
        Assert.Equal(progress.Sent, oneToOne.Count(o => o is { Status: SendStatus.Refused, Reason: "cap" }));
    }
}

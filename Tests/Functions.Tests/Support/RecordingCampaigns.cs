using System.Collections.Concurrent;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// Test double for the campaign engine, which is built on another branch: records what the events feature asks of it
/// (start and stop of invitation campaigns) so the feature's tests can assert on it. Never part of the product; the
/// real engine replaces it in these tests when the two branches merge.
/// </summary>
public sealed class RecordingCampaigns : ICampaigns
{
    public ConcurrentQueue<CampaignRequest> Started { get; } = new();
    public ConcurrentQueue<string> Stopped { get; } = new();

    public Task<CampaignStart> StartAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var isNew = Started.All(s => s.CampaignId != request.CampaignId);
        Started.Enqueue(request);
        return Task.FromResult<CampaignStart>(new CampaignStart.Started(request.CampaignId, isNew));
    }

    public Task StopAsync(string campaignId, CancellationToken cancellationToken)
    {
        Stopped.Enqueue(campaignId);
        return Task.CompletedTask;
    }

    public Task<CampaignProgress?> GetProgressAsync(string campaignId, CancellationToken cancellationToken) => Task.FromResult<CampaignProgress?>(null);

    public Task<EmailMessage?> PreviewAsync(CampaignKind kind, string sourceId, Alumnus sample, CancellationToken cancellationToken) =>
        Task.FromResult<EmailMessage?>(null);
}

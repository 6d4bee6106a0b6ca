using Azure.Core;
using Azure.Core.Pipeline;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>Counts every request a Table Storage client sends, retries included: the round trips a departure costs.</summary>
internal sealed class RoundTripCounter : HttpPipelineSynchronousPolicy
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
}

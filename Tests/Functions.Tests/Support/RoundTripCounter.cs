using Azure.Core;
using Azure.Core.Pipeline;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// Counts every request a Table Storage client sends, retries included: the round trips a departure costs. Used by
/// the tests that hold intake to its budget and by the intake benchmark (which links this file).
/// </summary>
public sealed class RoundTripCounter : HttpPipelineSynchronousPolicy
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
}

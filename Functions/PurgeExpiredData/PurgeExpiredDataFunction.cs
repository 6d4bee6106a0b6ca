using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.PurgeExpiredData;

/// <summary>Timer (daily): the retention purge. It has no outputs; a failed run is simply repeated the next day.</summary>
public static class PurgeExpiredDataFunction
{
    public const string Name = "PurgeExpiredData";

    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, async (request, services, cancellationToken) =>
    {
        var report = await services.GetRequiredService<Core.Retention.PurgeExpiredData>().HandleAsync(cancellationToken);
        return InvocationResponse.Empty().WithTimerNote(TimerInput.Read(request, "timer")).WithLog(
            $"Retention purge: {report.AlumniScanned} scanned, {report.NeverJoinedDeleted} never-joined deleted, " +
            $"{report.ChangedWhilePurging} changed while purging, {report.ConsentRecordsPurged} consent entries purged");
    });
}

namespace AlumniNetwork.Core.Outreach;

/// <summary>Counts the outcomes of sends made in parallel (a fan-out of one-to-one mails).</summary>
public sealed class SendTally
{
    private int sent;
    private int alreadySent;
    private int refused;

    public int Sent => sent;
    public int AlreadySent => alreadySent;
    public int Refused => refused;

    public void Add(SendStatus status)
    {
        _ = status switch
        {
            SendStatus.Sent => Interlocked.Increment(ref sent),
            SendStatus.AlreadySent => Interlocked.Increment(ref alreadySent),
            _ => Interlocked.Increment(ref refused),
        };
    }
}

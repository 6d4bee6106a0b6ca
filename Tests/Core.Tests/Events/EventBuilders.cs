using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Tests.Events;

internal static class EventBuilders
{
    public static readonly DateTimeOffset Now = new(2027, 1, 10, 0, 0, 0, TimeSpan.Zero);

    /// <summary>10 February 2027, 19:00–21:00 Tokyo; registration closes 8 February 18:00 Tokyo.</summary>
    public static EventDetails Details(int capacity = 2, string? venue = "本社ホール <20F>", Uri? online = null) => new(
        new LocalizedText("アルムナイ講演会", "Alumni lecture"),
        new LocalizedText("説明 & <b>詳細</b>", "About & <b>details</b>"),
        EventKind.LectureSeries,
        new DateTimeOffset(2027, 2, 10, 19, 0, 0, TimeSpan.FromHours(9)),
        new DateTimeOffset(2027, 2, 10, 21, 0, 0, TimeSpan.FromHours(9)),
        "Asia/Tokyo",
        venue,
        online ?? new Uri("https://meet.example.com/alumni-lecture"),
        capacity,
        new DateTimeOffset(2027, 2, 8, 18, 0, 0, TimeSpan.FromHours(9)),
        [new EventHost("佐藤 一郎", HostRole.Employee, "CFO")],
        AudienceSegment.Everyone);

    public static NetworkEvent Event(int capacity = 2, EventStatus status = EventStatus.Published)
    {
        var e = new NetworkEvent { Id = NetworkEvent.NewId(), Details = Details(capacity), CreatedAt = Now.AddDays(-1), CreatedBy = "admin-1", UpdatedAt = Now.AddDays(-1) };
        if (status != EventStatus.Draft)
        {
            e.Publish(Now.AddHours(-1));
        }

        if (status == EventStatus.Cancelled)
        {
            e.Cancel(Now.AddMinutes(-1));
        }

        e.ETag = "etag-1";
        return e;
    }
}

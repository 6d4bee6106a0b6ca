using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Tests.Scheduling;

/// <summary>No personal data in logs: a work item's log line names its subject only when that names no alumnus.</summary>
public sealed class WorkItemRunnerLogTests
{
    private const string Person = "0123456789abcdef0123456789abcdef";
    private const string Thing = "aaaabbbbccccddddeeeeffff00001111";

    private static string Logged(string kind, string subject) =>
        WorkItemRunner.LoggedSubject(new WorkMessage(kind, subject, "p", "r", DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData(WorkKinds.TakeBack, Person)]
    [InlineData(WorkKinds.ConflictCheck, "conflict:" + Person)]
    [InlineData(WorkKinds.OpeningApproved, Thing + "-" + Person)]
    [InlineData(WorkKinds.CollaborationRequest, Person + "-" + Thing)]
    [InlineData(WorkKinds.WelcomeInvitation, Person)]
    public void SubjectNamingAnAlumnus_IsLoggedAsAnAlumnus(string kind, string subject)
    {
        Assert.Equal("an alumnus", Logged(kind, subject));
        Assert.DoesNotContain(Person, Logged(kind, subject), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkKinds.CampaignBatch, Thing + "-0003")]
    [InlineData(WorkKinds.EventReminder, Thing)]
    [InlineData(WorkKinds.EventNotices, Thing)]
    public void SubjectOfAThing_IsLoggedInFull(string kind, string subject) => Assert.Equal(subject, Logged(kind, subject));

    [Fact]
    public void EventNoticesOfOneAttendee_KeepTheEvent_NotTheAttendee() =>
        Assert.Equal(Thing + " (an alumnus)", Logged(WorkKinds.EventNotices, Thing + "-" + Person));
}

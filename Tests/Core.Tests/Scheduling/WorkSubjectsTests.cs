using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Tests.Scheduling;

public sealed class WorkSubjectsTests
{
    private const string Person = "0123456789abcdef0123456789abcdef";
    private const string Other = "fedcba9876543210fedcba9876543210";
    private const string Thing = "aaaabbbbccccddddeeeeffff00001111";

    [Theory]
    [InlineData(Person, true)]
    [InlineData(Thing + "-" + Person, true)]
    [InlineData(Person + "-" + Thing, true)]
    [InlineData("conflict:" + Person, false)]
    [InlineData(Thing + "-" + Other, false)]
    [InlineData(Other + "-" + Thing, false)]
    [InlineData(Thing, false)]
    [InlineData("-" + Person, false)]
    [InlineData(Person + "-", false)]
    [InlineData(Person + "0", false)]
    [InlineData("register", false)]
    public void Subject_IsAboutTheAlumnus_OnlyInTheFormsWorkIsKeyedBy(string subject, bool about) =>
        Assert.Equal(about, WorkSubjects.IsAbout(subject, AlumnusId.Parse(Person)));
}

using System.Text.Json;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Tests.Messaging;

public sealed class MessageBodyTests
{
    private const string Work = """{"kind":"welcome-invitation","subjectId":"s1","partitionKey":"p","rowKey":"r","dueAt":"2026-12-01T00:00:00Z"}""";

    [Theory]
    [InlineData(Work)]
    [InlineData("\"" + """{\"kind\":\"welcome-invitation\",\"subjectId\":\"s1\"}""" + "\"")]
    public void WorkBody_AsObjectOrJsonString_NamesKindAndSubject(string json)
    {
        Assert.True(MessageBody.TryRead<WorkMessage>(JsonDocument.Parse(json).RootElement, out var message, out _));
        Assert.Equal(("welcome-invitation", "s1"), (message.Kind, message.SubjectId));
    }

    [Fact]
    public void WorkBody_EncodedTwice_IsRead()
    {
        var twice = JsonSerializer.SerializeToElement(JsonSerializer.Serialize(Work));

        Assert.True(MessageBody.TryRead<WorkMessage>(twice, out var message, out _));
        Assert.Equal("s1", message.SubjectId);
    }

    [Fact]
    public void RawWorkBody_NamesKindAndSubject() => Assert.Equal(("welcome-invitation", "s1"), MessageBody.WorkOf(Work));

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"kind\":\"welcome-invitation\",\"subjectId\":")]
    [InlineData("""{"kind":"welcome-invitation"}""")]
    [InlineData("""{"subjectId":"s1"}""")]
    [InlineData("""{"kind":1,"subjectId":"s1"}""")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("")]
    public void MalformedBody_DoesNotThrowAndNamesNoSubject(string body) => Assert.Null(MessageBody.WorkOf(body));

    [Fact]
    public void StringThatIsNotJson_SaysSo()
    {
        Assert.False(MessageBody.TryRead<WorkMessage>(JsonSerializer.SerializeToElement("not json"), out _, out var problem));
        Assert.Equal("is a string that is not JSON.", problem);
    }
}

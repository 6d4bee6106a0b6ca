using AlumniNetwork.Functions.Hosting.Invocation;

namespace AlumniNetwork.Functions.Tests.Hosting;

public sealed class InvocationResponseTests
{
    [Fact]
    public void MessagesForAnOutputAlreadyHoldingSome_AreAdded_NotReplacingThem()
    {
        var response = InvocationResponse.Empty()
            .WithMessages("mail", new[] { new { n = 1 } })
            .WithMessages("mail", Array.Empty<object>())
            .WithMessages("mail", new[] { new { n = 2 }, new { n = 3 } });

        Assert.Equal([1, 2, 3], Assert.IsType<List<object>>(response.Outputs["mail"]).Select(m => (int)m.GetType().GetProperty("n")!.GetValue(m)!));
    }
}

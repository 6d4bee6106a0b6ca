using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>Service Bus matches what the functions' bindings use.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class ServiceBusTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void Queues_CoverEveryQueueTheFunctionsName_AndRetryThenDeadLetter() =>
        ResourceTests.AssertNone(InfrastructureChecks.ServiceBus(infrastructure.Deployment, AppCode.LiteralQueueNames()));

    [Fact]
    public void Queues_IncludeTheKnownWelcomeInvitationsQueue()
    {
        var queues = infrastructure.Deployment.OfType(ResourceTypes.ServiceBusQueue).Select(queue => queue.LeafName).ToList();

        Assert.NotEmpty(queues);
        Assert.Contains("welcome-invitations", queues);
    }

    [Fact]
    public void Connections_NamedByBindings_AreIdentityBased() =>
        ResourceTests.AssertNone(InfrastructureChecks.ServiceBusConnections(infrastructure.Deployment, AppCode.ServiceBusBindings()));
}

using Azure;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using AlumniNetwork.Core.Messaging;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Messaging;

/// <summary>The Service Bus adapter against mocked SDK clients: the real dead-letter sub-queue, peek-lock re-drive, runtime counts.</summary>
public sealed class ServiceBusDeadLettersTests
{
    private const string Queue = "welcome-invitations";
    private readonly Mock<ServiceBusClient> client = new();
    private readonly Mock<ServiceBusAdministrationClient> administration = new();
    private readonly Mock<ServiceBusReceiver> receiver = new();
    private readonly Mock<ServiceBusSender> sender = new();
    private readonly List<ServiceBusMessage> sent = [];
    private readonly List<ServiceBusReceivedMessage> completed = [];
    private readonly List<ServiceBusReceivedMessage> abandoned = [];
    private static readonly DateTimeOffset DeadLetteredAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public ServiceBusDeadLettersTests()
    {
        client.Setup(c => c.CreateReceiver(Queue, It.Is<ServiceBusReceiverOptions>(o => o.SubQueue == SubQueue.DeadLetter && o.ReceiveMode == ServiceBusReceiveMode.PeekLock)))
            .Returns(receiver.Object);
        client.Setup(c => c.CreateSender(Queue)).Returns(sender.Object);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => sent.Add(m)).Returns(Task.CompletedTask);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusReceivedMessage m, CancellationToken _) => completed.Add(m)).Returns(Task.CompletedTask);
        receiver.Setup(r => r.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusReceivedMessage m, IDictionary<string, object> _, CancellationToken _) => abandoned.Add(m)).Returns(Task.CompletedTask);
        DeadLetterCount(1000);
    }

    private void DeadLetterCount(long count) =>
        administration.Setup(a => a.GetQueueRuntimePropertiesAsync(Queue, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(ServiceBusModelFactory.QueueRuntimeProperties(Queue, deadLetterMessageCount: count), Mock.Of<Response>()));

    private ServiceBusDeadLetters Adapter() => new(client.Object, administration.Object, time);

    private async Task<List<string>> RedriveAsync(int max)
    {
        var moved = new List<string>();
        await Adapter().RedriveAsync(Queue, max, moved, CancellationToken.None);
        return moved;
    }

    private static ServiceBusReceivedMessage DeadLettered(string id, string body = """{"kind":"welcome-invitation"}""", DateTimeOffset? enqueuedTime = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: id,
            deliveryCount: 10,
            enqueuedTime: enqueuedTime ?? DeadLetteredAt,
            properties: new Dictionary<string, object> { ["DeadLetterReason"] = "MaxDeliveryCountExceeded", ["DeadLetterErrorDescription"] = "10 deliveries", ["trace"] = "t1" });

    private void Receives(params IReadOnlyList<ServiceBusReceivedMessage>[] batches)
    {
        var sequence = receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()));
        foreach (var batch in batches)
        {
            sequence = sequence.ReturnsAsync(batch);
        }

        sequence.ReturnsAsync([]);
    }

    [Fact]
    public async Task Redrive_ReceivesInChunksOfFifty_AndStopsAtTheLimit()
    {
        var asked = new List<int>();
        var n = 0;
        receiver.Setup(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Callback((int count, TimeSpan? _, CancellationToken _) => asked.Add(count))
            .ReturnsAsync((int count, TimeSpan? _, CancellationToken _) => Enumerable.Range(0, count).Select(_ => DeadLettered($"m{n++}")).ToArray());

        var moved = await RedriveAsync(120);

        Assert.Equal(120, moved.Count);
        Assert.Equal([50, 50, 20], asked);
        Assert.Equal(120, completed.Count);
    }

    [Fact]
    public async Task Peek_ReadsTheDeadLetterSubQueueWithReasonAndBody()
    {
        receiver.Setup(r => r.PeekMessagesAsync(5, null, It.IsAny<CancellationToken>())).ReturnsAsync([DeadLettered("m1")]);

        var letter = Assert.Single(await Adapter().PeekAsync(Queue, 5, CancellationToken.None));

        Assert.Equal(("m1", 10, "MaxDeliveryCountExceeded", "10 deliveries"), (letter.MessageId, letter.DeliveryCount, letter.Reason, letter.Description));
        Assert.Equal("""{"kind":"welcome-invitation"}""", letter.Body);
        receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Peek_CutsLongBodies()
    {
        receiver.Setup(r => r.PeekMessagesAsync(1, null, It.IsAny<CancellationToken>())).ReturnsAsync([DeadLettered("m1", new string('x', 5000))]);

        Assert.Equal(DeadLetter.MaxBodyLength, Assert.Single(await Adapter().PeekAsync(Queue, 1, CancellationToken.None)).Body.Length);
    }

    [Fact]
    public async Task Peek_CutsALongBodyBeforeACharacterItWouldSplit()
    {
        var body = new string('x', DeadLetter.MaxBodyLength - 1) + "😀" + "tail";
        receiver.Setup(r => r.PeekMessagesAsync(1, null, It.IsAny<CancellationToken>())).ReturnsAsync([DeadLettered("m1", body)]);

        Assert.Equal(new string('x', DeadLetter.MaxBodyLength - 1), Assert.Single(await Adapter().PeekAsync(Queue, 1, CancellationToken.None)).Body);
    }

    [Fact]
    public async Task Count_ComesFromTheQueuesRuntimeProperties()
    {
        DeadLetterCount(7);

        Assert.Equal(7, await Adapter().CountAsync(Queue, CancellationToken.None));
    }

    [Fact]
    public async Task Redrive_SendsACopyToTheQueueBeforeCompletingEachDeadLetter_WithoutTheDeadLetterReason()
    {
        var first = DeadLettered("m1");
        var second = DeadLettered("m2", """{"kind":"other"}""");
        var order = new List<string>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => { sent.Add(m); order.Add("send:" + m.MessageId); }).Returns(Task.CompletedTask);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusReceivedMessage m, CancellationToken _) => order.Add("complete:" + m.MessageId)).Returns(Task.CompletedTask);
        Receives([first, second]);

        var moved = await RedriveAsync(10);

        Assert.Equal(["""{"kind":"welcome-invitation"}""", """{"kind":"other"}"""], moved);
        Assert.Equal(["send:m1", "complete:m1", "send:m2", "complete:m2"], order);
        Assert.Equal("""{"kind":"other"}""", sent[1].Body.ToString());
        Assert.All(sent, m => Assert.False(m.ApplicationProperties.ContainsKey("DeadLetterReason")));
        Assert.All(sent, m => Assert.False(m.ApplicationProperties.ContainsKey("DeadLetterErrorDescription")));
        Assert.Equal("t1", sent[0].ApplicationProperties["trace"]);
    }

    [Fact]
    public async Task Redrive_StopsAtTheLimit()
    {
        receiver.Setup(r => r.ReceiveMessagesAsync(2, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>())).ReturnsAsync([DeadLettered("m1"), DeadLettered("m2")]);

        Assert.Equal(2, (await RedriveAsync(2)).Count);

        receiver.Verify(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(2, sent.Count);
    }

    [Fact]
    public async Task Redrive_WhenTheSendFails_CompletesNothingSoTheDeadLetterStays()
    {
        Receives([DeadLettered("m1")]);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("down", ServiceBusFailureReason.ServiceCommunicationProblem));

        await Assert.ThrowsAsync<ServiceBusException>(() => RedriveAsync(10));

        Assert.Empty(completed);
    }

    [Fact]
    public async Task Redrive_WhenASendFailsPartWay_HasReportedTheMessagesMovedBeforeIt()
    {
        Receives([DeadLettered("m1"), DeadLettered("m2", """{"kind":"other"}""")]);
        sender.SetupSequence(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask)
            .ThrowsAsync(new ServiceBusException("down", ServiceBusFailureReason.ServiceCommunicationProblem));
        var moved = new List<string>();

        await Assert.ThrowsAsync<ServiceBusException>(() => Adapter().RedriveAsync(Queue, 10, moved, CancellationToken.None));

        Assert.Equal(["""{"kind":"welcome-invitation"}"""], moved);
        Assert.Single(completed);
    }

    [Fact]
    public async Task Redrive_WhenCompletingFailsAfterTheSend_HasReportedTheSentCopy()
    {
        Receives([DeadLettered("m1")]);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost));
        var moved = new List<string>();

        await Assert.ThrowsAsync<ServiceBusException>(() => Adapter().RedriveAsync(Queue, 10, moved, CancellationToken.None));

        // The copy is on the queue and will run: the audit must name it (ADR 0014: never under-report).
        Assert.Single(sent);
        Assert.Equal(["""{"kind":"welcome-invitation"}"""], moved);
    }

    [Fact]
    public async Task Redrive_OfAnEmptySubQueue_MovesNothing()
    {
        Receives();

        Assert.Empty(await RedriveAsync(10));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Redrive_ReturnsLongBodiesCutAsAListingCutsThem_WhileSendingThemWhole()
    {
        Receives([DeadLettered("m1", new string('x', 5000))]);

        var moved = Assert.Single(await RedriveAsync(10));

        Assert.Equal(DeadLetter.MaxBodyLength, moved.Length);
        Assert.Equal(5000, Assert.Single(sent).Body.ToString().Length);
    }

    /// <summary>
    /// A poison message: every copy sent fails again at once and is dead-lettered again, behind what is left, as Service
    /// Bus does (a new message, so enqueued after the re-drive began). Each original moves exactly once.
    /// </summary>
    [Fact]
    public async Task Redrive_OfMessagesThatFailAgainAtOnce_MovesEachOriginalExactlyOnce()
    {
        var subQueue = new Queue<ServiceBusReceivedMessage>([DeadLettered("m1", """{"n":1}"""), DeadLettered("m2", """{"n":2}"""), DeadLettered("m3", """{"n":3}""")]);
        DeadLetterCount(subQueue.Count);
        receiver.Setup(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((int count, TimeSpan? _, CancellationToken _) => Enumerable.Range(0, Math.Min(count, subQueue.Count)).Select(_ => subQueue.Dequeue()).ToArray());
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) =>
            {
                sent.Add(m);
                time.Advance(TimeSpan.FromSeconds(1));
                subQueue.Enqueue(DeadLettered(m.MessageId, m.Body.ToString(), time.GetUtcNow()));
            })
            .Returns(Task.CompletedTask);

        var moved = await RedriveAsync(AlumniNetwork.Core.Admin.RedriveDeadLetters.DefaultLimit);

        Assert.Equal(["""{"n":1}""", """{"n":2}""", """{"n":3}"""], moved);
        Assert.Equal(["m1", "m2", "m3"], sent.Select(m => m.MessageId));
        Assert.Equal(["m1", "m2", "m3"], completed.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Redrive_StopsAtTheFirstDeadLetterEnqueuedAfterItBegan_AndReleasesItAndTheRestOfTheBatch()
    {
        // The count still says four (a copy dead-lettered again before the count was read, or a fresh failure).
        DeadLetterCount(4);
        var later = time.GetUtcNow().AddSeconds(2);
        Receives([DeadLettered("m1"), DeadLettered("m2", enqueuedTime: later), DeadLettered("m3", enqueuedTime: later)]);

        var moved = await RedriveAsync(10);

        Assert.Single(moved);
        Assert.Equal(["m1"], sent.Select(m => m.MessageId));
        Assert.Equal(["m1"], completed.Select(m => m.MessageId));
        Assert.Equal(["m2", "m3"], abandoned.Select(m => m.MessageId));
    }

    [Fact]
    public async Task Redrive_MovesNoMoreThanWereDeadLetteredWhenItBegan()
    {
        DeadLetterCount(3);
        var asked = new List<int>();
        var n = 0;
        receiver.Setup(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Callback((int count, TimeSpan? _, CancellationToken _) => asked.Add(count))
            .ReturnsAsync((int count, TimeSpan? _, CancellationToken _) => Enumerable.Range(0, count).Select(_ => DeadLettered($"m{n++}")).ToArray());

        Assert.Equal(3, (await RedriveAsync(100)).Count);
        Assert.Equal([3], asked);
        Assert.Equal(3, sent.Count);
    }

    [Fact]
    public async Task Redrive_OfAnEmptySubQueueByItsCount_ReceivesNothing()
    {
        DeadLetterCount(0);

        Assert.Empty(await RedriveAsync(10));
        receiver.Verify(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

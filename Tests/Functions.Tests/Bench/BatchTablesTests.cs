using System.Text;
using AlumniNetwork.Bench.CampaignFanOut;

namespace AlumniNetwork.Functions.Tests.Bench;

/// <summary>
/// The fan-out benchmark's proxy counts each entity-group transaction under the table its body names
/// (bench/CampaignFanOut/BatchTables.cs, linked into this project: the benchmark itself is not run by the tests).
/// </summary>
public sealed class BatchTablesTests
{
    private static readonly string LongEntity = $$"""{"PartitionKey":"c1-b00001","RowKey":"r1","Evidence":"{{new string('x', 20_000)}}"}""";

    private static readonly string Body = string.Join("\r\n",
        "--batch_0b8a",
        "Content-Type: multipart/mixed; boundary=changeset_77c1",
        "",
        "--changeset_77c1",
        "Content-Type: application/http",
        "Content-Transfer-Encoding: binary",
        "",
        "PATCH http://127.0.0.1:41234/devstoreaccount1/Sends(PartitionKey='c1-b00001',RowKey='r1') HTTP/1.1",
        "Accept: application/json;odata=minimalmetadata",
        "Content-Type: application/json",
        "",
        LongEntity,
        "--changeset_77c1",
        "Content-Type: application/http",
        "Content-Transfer-Encoding: binary",
        "",
        "POST http://127.0.0.1:41234/devstoreaccount1/Sends HTTP/1.1",
        "Content-Type: application/json",
        "",
        """{"PartitionKey":"c1-b00001","RowKey":"r2","Status":"Unknown"}""",
        "--changeset_77c1--",
        "--batch_0b8a--",
        "");

    [Theory]
    [InlineData("POST http://127.0.0.1:10002/devstoreaccount1/Sends HTTP/1.1", "Sends")]
    [InlineData("PATCH http://127.0.0.1:10002/devstoreaccount1/Sends(PartitionKey='c1-b00001',RowKey='ab12') HTTP/1.1", "Sends")]
    [InlineData("MERGE http://127.0.0.1:10002/devstoreaccount1/Alumni(PartitionKey='ab',RowKey='ab12') HTTP/1.1", "Alumni")]
    [InlineData("DELETE http://127.0.0.1:10002/devstoreaccount1/Campaigns(PartitionKey='c1',RowKey='') HTTP/1.1", "Campaigns")]
    [InlineData("Content-Type: multipart/mixed; boundary=changeset_77c1", null)]
    [InlineData("Content-Transfer-Encoding: binary", null)]
    [InlineData("POST /devstoreaccount1/Sends HTTP/1.1", null)]
    [InlineData("POST http://127.0.0.1:10002/devstoreaccount1 HTTP/1.1", null)]
    [InlineData("{\"PartitionKey\":\"c1\",\"RowKey\":\"POST http://h/a/Sends HTTP/1.1\"}", null)]
    public void RequestLine_NamesItsTableOrNone(string line, string? table) => Assert.Equal(table, BatchTables.TableOf(line));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public void BodyInPiecesOfAnySize_NamesItsOneTable(int pieceSize)
    {
        var tables = new BatchTables();
        foreach (var piece in Encoding.UTF8.GetBytes(Body).Chunk(pieceSize))
        {
            tables.Read(piece);
        }

        Assert.Equal(["Sends"], tables.Tables);
    }

    [Fact]
    public void RequestLineAfterALineTooLongToBeOne_IsStillRead()
    {
        var tables = new BatchTables();
        tables.Read(Encoding.UTF8.GetBytes(new string('x', 10_000) + "\r\nPOST http://h/devstoreaccount1/Alumni HTTP/1.1\r\n"));

        Assert.Equal(["Alumni"], tables.Tables);
    }
}

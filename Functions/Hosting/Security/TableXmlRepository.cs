using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// The Data Protection key ring in Table Storage, shared by every instance: Flex Consumption instances have no shared
/// file system, and a key ring per instance would reject form tokens and sessions issued by another instance. Keys are
/// readable by the app's identity only (storage has shared keys off); see ADR 0019.
/// </summary>
public sealed class TableXmlRepository(AlumniTables tables) : IXmlRepository
{
    private const string Partition = "keys";

    // Data Protection calls the repository synchronously, rarely (the key ring is cached for hours), so the client is awaited here.
    private TableClient Table => tables.GetAsync(AlumniTables.DataProtectionKeys, CancellationToken.None).GetAwaiter().GetResult();

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"))
            .Select(e => XElement.Parse(e.GetString("Xml")))
            .ToArray();

    public void StoreElement(XElement element, string friendlyName) =>
        Table.UpsertEntity(new TableEntity(Partition, friendlyName) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) }, TableUpdateMode.Replace);
}

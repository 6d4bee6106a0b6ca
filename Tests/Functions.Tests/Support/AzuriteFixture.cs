namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>One Azurite for a test collection, on free ports, in memory; stopped afterwards.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public int QueuePort => Started.QueuePort;
    public int TablePort => Started.TablePort;
    public string ConnectionString => Started.ConnectionString;

    private AzuriteProcess Started => azurite ?? throw new InvalidOperationException("Azurite has not started yet.");

    public async Task InitializeAsync() => azurite = await AzuriteProcess.StartAsync(RepoPaths.Root);

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }

    public static int FreePort() => AzuriteProcess.FreePort();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

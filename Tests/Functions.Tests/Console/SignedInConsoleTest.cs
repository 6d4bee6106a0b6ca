using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>A console test: a fresh app on Azurite and an admin signed in through the development sign-in page, as a person would.</summary>
public abstract class SignedInConsoleTest(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite => azurite;

    private protected TestApp App { get; private set; } = null!;

    private protected ConsoleClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        App = await TestApp.StartAsync(azurite);
        Admin = await ConsoleClient.SignedInAsync(App, AdminRoles.Admin);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>What must exist before the app starts (e.g. an emptied queue).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;
}

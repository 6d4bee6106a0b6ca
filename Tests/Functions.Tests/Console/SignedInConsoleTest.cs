using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// A console test: a fresh app on Azurite and a member of the alumni team signed in with <paramref name="role"/>
/// through the development sign-in page, as a person would.
/// </summary>
public abstract class SignedInConsoleTest(AzuriteFixture azurite, string role = AdminRoles.Admin) : IAsyncLifetime
{
    protected AzuriteFixture Azurite => azurite;

    private protected TestApp App { get; private set; } = null!;

    /// <summary>The console client signed in with the class's role (every role of the alumni team is an admin role).</summary>
    private protected ConsoleClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        App = await TestApp.StartAsync(azurite, Settings, logs: Logs);
        Admin = await ConsoleClient.SignedInAsync(App, role);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>What must exist before the app starts (e.g. an emptied queue).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Where the app's log records go, for a test that asserts on them (null: none kept).</summary>
    protected virtual CapturedLogs? Logs => null;

    /// <summary>Settings the app starts with on top of the test defaults (null: none).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;
}

using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Directory.Tests;

/// <summary>The demo tenant served by a Simulator on loopback, with the directory registered as the bot registers it.</summary>
internal sealed class SimulatedDemoTenant : IAsyncDisposable
{
    private SimulatedDemoTenant(FakeTimeProvider time, SimulatorTenant tenant, SimulatorServer server)
    {
        Time = time;
        Tenant = tenant;
        Server = server;
        Services = TestDirectory.Build(server.BaseAddress);
    }

    public FakeTimeProvider Time { get; }

    public SimulatorTenant Tenant { get; }

    public SimulatorServer Server { get; private set; }

    public ServiceProvider Services { get; }

    public ITenantDirectory Directory => Services.GetRequiredService<ITenantDirectory>();

    public ITenantAdministration Administration => Services.GetRequiredService<ITenantAdministration>();

    public static async Task<SimulatedDemoTenant> StartAsync()
    {
        var time = new FakeTimeProvider(TestClock.DefaultStart);
        var tenant = DemoTenant.Create(time);
        return new SimulatedDemoTenant(time, tenant, await SimulatorServer.StartAsync(tenant));
    }

    /// <summary>Stops the Simulator, runs <paramref name="whileDown"/>, then serves the same tenant again (on another port).</summary>
    public async Task<T> WhileGraphIsDownAsync<T>(Func<Task<T>> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        await Server.DisposeAsync();
        try
        {
            return await whileDown();
        }
        finally
        {
            Server = await SimulatorServer.StartAsync(Tenant);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}

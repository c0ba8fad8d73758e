using CredentialBot.Simulator;

namespace CredentialBot.Hosting;

/// <summary>
/// Local mode's tenant: the Graph Simulator with the demo tenant, on a loopback port chosen at start.
/// Started before anything reads the directory (hosted services start in registration order).
/// </summary>
public sealed partial class EmbeddedSimulator(TimeProvider time, ILogger<EmbeddedSimulator> logger) : IHostedService, IAsyncDisposable
{
    private SimulatorServer? _server;

    /// <summary>The demo tenant served; local-mode seeding reads its store-kept owners.</summary>
    public SimulatorTenant Tenant { get; } = DemoTenant.Create(time);

    /// <summary>The Graph v1.0 base address, e.g. http://127.0.0.1:41234/v1.0/.</summary>
    public Uri BaseAddress => _server?.BaseAddress ?? throw new InvalidOperationException("The embedded Simulator has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await SimulatorServer.StartAsync(Tenant, cancellationToken: cancellationToken).ConfigureAwait(false);
        LogStarted(logger, _server.BaseAddress);
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local mode: the Graph Simulator serves the demo tenant at {BaseAddress}")]
    private static partial void LogStarted(ILogger logger, Uri baseAddress);
}

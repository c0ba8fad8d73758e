using CredentialBot.Simulator;

namespace CredentialBot.Hosting;

/// <summary>
/// Local mode's tenant: the Graph Simulator with the demo tenant, on a free loopback port. The port is chosen when
/// this is constructed, so the Graph client can be built (for instance while the command table is checked at start)
/// before the server listens; it listens before anything reads the directory (hosted services start in order).
/// </summary>
public sealed partial class EmbeddedSimulator(TimeProvider time, ILogger<EmbeddedSimulator> logger) : IHostedService, IAsyncDisposable
{
    private readonly int _port = FreeLoopbackPort();
    private SimulatorServer? _server;

    /// <summary>The demo tenant served; local-mode seeding reads its store-kept owners.</summary>
    public SimulatorTenant Tenant { get; } = DemoTenant.Create(time);

    /// <summary>The Graph v1.0 base address, e.g. http://127.0.0.1:41234/v1.0/.</summary>
    public Uri BaseAddress => _server?.BaseAddress ?? new Uri($"http://127.0.0.1:{_port}/v1.0/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await SimulatorServer.StartAsync(Tenant, port: _port, cancellationToken: cancellationToken);
        LogStarted(logger, _server.BaseAddress);
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local mode: the Graph Simulator serves the demo tenant at {BaseAddress}")]
    private static partial void LogStarted(ILogger logger, Uri baseAddress);
}

using System.Diagnostics;
using System.Globalization;

namespace CredentialBot.Bench;

/// <summary>
/// The real host as its own process, in local mode (no bot app id: loopback callers only, no JWT), listening on a free
/// loopback port, with the settings given. Its output is drained and dropped. <see cref="ResidentMegabytes"/> reads the
/// process's resident set from /proc, so the figure is the host's alone.
/// </summary>
internal sealed class LocalBot : IAsyncDisposable
{
    private readonly Process _process;
    private TextWriter? _log;
    private HostAllocations? _allocations;

    private LocalBot(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalBot> StartAsync(TimeSpan startupBudget, params string[] settings)
    {
        var port = FreeLoopbackPort();
        var dll = Path.Combine(AppContext.BaseDirectory, "CredentialBot.dll");
        var start = new ProcessStartInfo("dotnet", [dll, $"--Urls=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            // As appsettings.json has them: the product's own log lines at Information, framework chatter at Warning.
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning", "--Logging:LogLevel:System.Net.Http.HttpClient=Warning",
            .. settings, .. ExtraSettings()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        // BENCH_HOST_LOG names a file for the host's output (with BENCH_HOST_SETTINGS raising a log level, say): how a
        // figure was reached can then be read afterwards. Without it the output is dropped, as the figures are the bench's.
        var log = Environment.GetEnvironmentVariable("BENCH_HOST_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(new StreamWriter(path) { AutoFlush = true }) : null;
        process.OutputDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.ErrorDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var bot = new LocalBot(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")) { _log = log };
        using var http = new HttpClient { BaseAddress = bot.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < startupBudget)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    bot._allocations = HostAllocations.Start(process.Id);
                    return bot;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: local mode scans the tenant before the server starts.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(500);
        }

        await bot.DisposeAsync();
        throw new TimeoutException($"The host did not answer /healthz within {startupBudget.TotalMinutes:F0} minutes.");
    }

    /// <summary>The host process's resident set (VmRSS), in MB; 0 where /proc is not available.</summary>
    public double ResidentMegabytes()
    {
        var status = $"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Bytes the host has allocated since it was ready, or null where they cannot be counted.</summary>
    public long? AllocatedBytes() => _allocations?.Bytes;

    /// <summary>The CPU time the host process has used so far, user and kernel, on every core.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        _allocations?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _log?.Dispose();
    }

    /// <summary>Settings from BENCH_HOST_SETTINGS (space-separated <c>--Key=value</c>), for diagnosing a run; none by default.</summary>
    private static string[] ExtraSettings() =>
        Environment.GetEnvironmentVariable("BENCH_HOST_SETTINGS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

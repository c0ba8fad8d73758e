using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The real bot as its own process (<c>dotnet CredentialBot.dll</c>), as an operator runs it: for tests that stop,
/// kill (SIGKILL) and restart hosts, or run several against one store. Its console output is kept for assertions.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Starts the host with <paramref name="settings"/> (<c>Key=value</c>) on a free loopback port.</summary>
    public static HostProcess Start(params string[] settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add($"--Urls={address.ToString().TrimEnd('/')}");
        start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        start.ArgumentList.Add("--Logging:Console:FormatterOptions:SingleLine=true");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add("--" + setting);
        }

        var process = Process.Start(start)!;
        var host = new HostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (the body is returned); fails at once if the process exits.</summary>
    public async Task<string> WaitReadyAsync(TimeSpan? timeout = null)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < (timeout ?? TimeSpan.FromSeconds(240)))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {_process.ExitCode} before it was ready:\n{string.Join('\n', Output.TakeLast(40))}");
            }

            try
            {
                using var ready = await Http.GetAsync(new Uri("readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return await ready.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The host was not ready in time:\n{string.Join('\n', Output.TakeLast(40))}");
    }

    /// <summary>Stops the host as Ctrl+C or a service manager does (SIGTERM) and waits for it to exit.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Stops the host as <see cref="StopAsync"/> does and asserts it exited 0, showing the end of its output if not.</summary>
    public async Task StopCleanlyAsync()
    {
        var code = await StopAsync();
        Assert.True(code == 0, $"The host exited with {code} when stopped:\n{string.Join('\n', Output.TakeLast(60))}");
    }

    /// <summary>kill -9: the process dies at once, holding whatever it held.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public int Count(string text) => Output.Count(line => line.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

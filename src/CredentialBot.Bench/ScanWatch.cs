using System.Diagnostics;

namespace CredentialBot.Bench;

/// <summary>
/// Follows a scan from outside the host: the scan's Graph requests are the ones marked low priority, so it is running
/// while the Simulator's count of those grows. Polls once a second.
/// </summary>
internal sealed class ScanWatch : IDisposable
{
    private readonly LoadRig _rig;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _before;
    private long _last;
    private TimeSpan _lastGrowth;
    private Task? _polling;

    private ScanWatch(LoadRig rig, long before)
    {
        _rig = rig;
        _before = _last = before;
    }

    /// <summary>Takes the count before the scan is asked for.</summary>
    public static async Task<ScanWatch> StartAsync(LoadRig rig) => new(rig, (await rig.Simulator.StatsAsync())["lowPriorityRequests"]);

    public async Task WaitForStartAsync()
    {
        while (await LowPriorityAsync() == _before)
        {
            if (_since.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("The scan did not start within 2 minutes.");
            }

            await Task.Delay(200);
        }

        _polling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await PollAsync();
                await Task.Delay(1_000, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });
    }

    /// <summary>Stops watching; says how long the scan ran within the watch and how many Graph requests it made.</summary>
    public async Task<string> StopAsync()
    {
        await PollAsync();
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }

        var finished = _since.Elapsed - _lastGrowth > TimeSpan.FromSeconds(3);
        return $"{_last - _before:N0} scan requests to Graph, the last {(finished ? $"{(_since.Elapsed - _lastGrowth).TotalSeconds:F0} s before the end" : "at the end")}";
    }

    public void Dispose() => _stop.Dispose();

    private async Task PollAsync()
    {
        var now = await LowPriorityAsync();
        if (now != _last)
        {
            _last = now;
            _lastGrowth = _since.Elapsed;
        }
    }

    private async Task<long> LowPriorityAsync() => (await _rig.Simulator.StatsAsync())["lowPriorityRequests"];
}

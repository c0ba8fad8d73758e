using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace CredentialBot.Bench;

/// <summary>
/// The bytes the host process has allocated, summed from its runtime's <c>alloc-rate</c> counter (System.Runtime's
/// event counters, sent once a second over EventPipe). Unlike the host's CPU time, no other process on the machine can
/// change this figure: it moves by about ±5 % between runs of the same code (the mix of background work differs),
/// where CPU time per request moves by ±10 %. It lags by up to a second, about 2 % of a 60-second phase.
/// </summary>
internal sealed class HostAllocations : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private long _bytes;

    private HostAllocations(EventPipeSession session)
    {
        _session = session;
        _reader = new Thread(Read) { IsBackground = true, Name = "host allocations" };
        _reader.Start();
    }

    /// <summary>Bytes allocated since the counting began.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Starts counting in the process <paramref name="processId"/>, or returns null where the runtime refuses.</summary>
    public static HostAllocations? Start(int processId)
    {
        try
        {
            var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, (long)EventKeywords.All,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
            return new HostAllocations(new DiagnosticsClient(processId).StartEventPipeSession(provider, requestRundown: false));
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            Console.Error.WriteLine($"Host allocations are not counted: {ex.Message}");
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or ServerNotAvailableException)
        {
            // The host has gone; the stream ends on its own.
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += e =>
        {
            if (e.EventName == "EventCounters"
                && e.PayloadValue(0) is IDictionary<string, object> outer
                && outer.TryGetValue("Payload", out var inner) && inner is IDictionary<string, object> counter
                && counter.TryGetValue("Name", out var name) && name is "alloc-rate"
                && counter.TryGetValue("Increment", out var increment))
            {
                Interlocked.Add(ref _bytes, (long)Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        try
        {
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException)
        {
            // The session stopped or the host exited.
        }
    }
}

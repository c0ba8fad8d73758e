using System.Net.Http.Json;
using CredentialBot.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>The directory as the bot registers it, pointed at a Simulator, with settings and a clock of the test's choosing.</summary>
internal static class TestDirectory
{
    public static ServiceProvider Build(Uri baseAddress, TimeProvider? time = null, params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        services.AddTenantDirectory(configuration, _ => baseAddress);
        return services.BuildServiceProvider();
    }

    /// <summary>The Simulator's own counters (not Graph): HTTP requests, operations, throttled, resource units, keyCredentials requests.</summary>
    public static async Task<Dictionary<string, long>> StatsAsync(SimulatorServer server)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<Dictionary<string, long>>(new Uri(server.BaseAddress, "/_simulator/stats")))!;
    }

    /// <summary>
    /// Runs <paramref name="work"/> while a fake clock moves forward a step at a time, so waits measured in Graph's
    /// seconds (windows, Retry-After, the scan's budget) pass without the test taking that long.
    /// </summary>
    public static async Task<T> WithClockRunningAsync<T>(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, Func<Task<T>> work)
    {
        var running = work();
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(2));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        return await running;
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

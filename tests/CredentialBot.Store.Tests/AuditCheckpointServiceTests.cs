using System.Text.Json.Nodes;
using CredentialBot.Store.Audit;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Checkpoints are written at start, every interval when the trail moved, as soon as a batch of events was appended,
/// and at stop; the loop runs on a fake clock. A restart on the same store and files carries on, and a checkpointer
/// never anchors a trail that contradicts the last checkpoint.
/// </summary>
public sealed class AuditCheckpointServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly SqliteStore _database = new();
    private readonly string _folder = AuditedStore.NewFolder();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly List<AuditedStore> _processes = [];

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AtStart_ANewStoreIsKeyed_AndAnchored()
    {
        var store = await StartAsync();

        Assert.True(File.Exists(store.KeyFile));
        var line = Assert.Single(Lines(store));
        Assert.Equal("start", (string?)line["reason"]);
        Assert.Equal(0, (long)line["count"]!);
        var verification = await store.VerifyAsync();
        Assert.True(verification.Intact, string.Join(" ", verification.Problems));
    }

    [Fact]
    public async Task EveryInterval_ACheckpointIsWritten_OnlyWhenTheTrailMoved()
    {
        var store = await StartAsync();
        await store.AppendAsync("one");
        await store.AppendAsync("two");

        // The service's loop starts its timer on a thread of its own (BackgroundService), perhaps after a first step of
        // the clock: the clock moves an interval at a time until the moved trail is anchored, once however many it takes.
        await EventuallyAsync(() => Lines(store).Count == 2, () => _time.Advance(Interval));
        _time.Advance(Interval);
        _time.Advance(Interval);
        await Task.Delay(200);

        Assert.Equal([0L, 2L], Lines(store).Select(l => (long)l["count"]!));
        Assert.Equal("interval", (string?)Lines(store)[1]["reason"]);
    }

    [Fact]
    public async Task AFullBatchOfAppends_IsCheckpointedWithoutWaitingForTheClock()
    {
        var store = await StartAsync(new Dictionary<string, string?> { ["Audit:CheckpointEveryEvents"] = "10" });

        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync($"event {i}");
        }

        await EventuallyAsync(() => Lines(store).Count == 2);
        Assert.Equal("batch", (string?)Lines(store)[1]["reason"]);
        Assert.Equal(10, (long)Lines(store)[1]["count"]!);
    }

    [Fact]
    public async Task AtStop_WhatWasAppendedIsAnchored()
    {
        var store = await StartAsync();
        await store.AppendAsync("last words");

        await StopAsync(store);

        Assert.Equal(("stop", 1L), ((string?)Lines(store)[^1]["reason"], (long)Lines(store)[^1]["count"]!));
    }

    [Fact]
    public async Task ARestartOnTheSameStore_CarriesOnWithTheSameKey_AndOneCheckpointFile()
    {
        var first = await StartAsync();
        await first.AppendAsync("before the restart");
        await StopAsync(first);

        var second = await StartAsync();
        await second.AppendAsync("after the restart");
        await StopAsync(second);

        Assert.Equal([0L, 1L, 2L], Lines(second).Select(l => (long)l["count"]!));
        var verification = await second.VerifyAsync();
        Assert.True(verification.Intact, string.Join(" ", verification.Problems));
        Assert.Equal(2, verification.Count);
    }

    [Fact]
    public async Task StartingWithAnotherKey_Fails_NamingTheSetting()
    {
        var first = await StartAsync();
        await first.AppendAsync("keyed with the file");
        await StopAsync(first);

        var wrong = await Assert.ThrowsAsync<AuditConfigurationException>(() => StartAsync(new Dictionary<string, string?>
        {
            ["Audit:KeyFile"] = string.Empty,
            ["Audit:ChainKey"] = Convert.ToBase64String(Attacker.GuessedKey()),
        }));

        Assert.Contains("is not the key this trail was written with", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("Set Audit:ChainKey or Audit:KeyFile", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrailCutBetweenCheckpoints_IsNotAnchored_AndTheLogSaysSoLoudly()
    {
        var store = await StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync($"event {i}");
        }

        await store.Checkpointer.WriteAsync("test", default);
        await using (var db = _database.NewContext())
        {
            await Attacker.ExecuteAsync(db, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > 5");
        }

        Assert.False(await store.Checkpointer.WriteAsync("test", default));
        Assert.Contains(store.Logs.Lines, l => l.Level == LogLevel.Critical && l.Message.Contains("Audit trail tampering: the last checkpoint", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(store), l => (long)l["count"]! == 5);
        Assert.Contains("events 6–10 are missing", string.Join(" ", (await store.VerifyAsync()).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointFileDeletedWhileStopped_IsReportedLoudlyAtTheNextStart()
    {
        var first = await StartAsync();
        await first.AppendAsync("anchored, then the anchor is deleted");
        await StopAsync(first);
        File.Delete(first.CheckpointPath);

        var second = await StartAsync();

        Assert.Contains(second.Logs.Lines, l => l.Level == LogLevel.Critical && l.Message.Contains("does not exist although the store holds 1 events", StringComparison.Ordinal));
    }

    [Fact]
    public void BadSettings_AreRefusedAtStart_NamingEachSetting_WithoutEchoingTheKey()
    {
        const string notAKey = "c2hvcnQ=";
        var bad = new AuditedStore(_database, _folder, _time, new Dictionary<string, string?>
        {
            ["Audit:ChainKey"] = notAKey,
            ["Audit:CheckpointInterval"] = "00:00:00",
            ["Audit:CheckpointEveryEvents"] = "0",
        });
        _processes.Add(bad);

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => bad.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditOptions>>().Value);

        Assert.Contains("Audit:ChainKey must be base64 of at least 32 random bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Set Audit:ChainKey or Audit:KeyFile, not both.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Audit:CheckpointInterval must be between 1 second and 1 day.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Audit:CheckpointEveryEvents must be between 1 and 1000000.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(notAKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APostgresStore_NeedsAConfiguredKeyAndCheckpointPath()
    {
        var postgres = new PostgresStore();
        await postgres.InitializeAsync();
        var unconfigured = new AuditedStore(postgres, _folder, _time, new Dictionary<string, string?> { ["Audit:KeyFile"] = string.Empty, ["Audit:CheckpointPath"] = string.Empty });
        _processes.Add(unconfigured);

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => unconfigured.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditOptions>>().Value);

        Assert.Contains("Audit:ChainKey is required when Store:Provider is Postgres", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Audit:CheckpointPath is required when Store:Provider is Postgres", refused.Message, StringComparison.Ordinal);
        await postgres.DisposeAsync();
    }

    /// <summary>A new "process" on the same database and files, with its hosted services started as a host starts them.</summary>
    private async Task<AuditedStore> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var store = new AuditedStore(_database, _folder, _time, settings);
        _processes.Add(store);
        foreach (var service in store.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(default);
        }

        return store;
    }

    private static async Task StopAsync(AuditedStore store)
    {
        foreach (var service in store.Services.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(default);
        }
    }

    private static List<JsonNode> Lines(AuditedStore store) =>
        File.Exists(store.CheckpointPath) ? [.. File.ReadAllLines(store.CheckpointPath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)] : [];

    private static async Task EventuallyAsync(Func<bool> condition, Action? step = null)
    {
        for (var waited = 0; !condition(); waited += 50)
        {
            Assert.True(waited < 15_000, "The checkpoint service did not write in time.");
            step?.Invoke();
            await Task.Delay(50);
        }
    }
}

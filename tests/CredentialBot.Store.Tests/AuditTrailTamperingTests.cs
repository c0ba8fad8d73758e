using System.Text.Json.Nodes;
using CredentialBot.Store.Audit;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The audit trail is keyed (the MAC key is not in the database) and anchored (checkpoints are not in the database).
/// Each test attacks it the way someone who can write the database would, and expects verify-audit to name the damage.
/// </summary>
public abstract class AuditTrailTamperingTests<TDatabase> : IAsyncLifetime
    where TDatabase : ITestStore, new()
{
    private readonly TDatabase _database = new();
    private readonly string _folder = AuditedStore.NewFolder();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private AuditedStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new AuditedStore(_database, _folder, _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnUntouchedTrail_VerifiesUnderTheKey_AndAgainstItsCheckpoints()
    {
        await AppendAsync(5);
        await _store.Checkpointer.WriteAsync("test", default);

        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Intact, result.Verdict);
        Assert.Equal(5, result.Count);
        Assert.Equal(1, result.Checkpoints);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task AnEditedEvent_IsNamed()
    {
        await AppendAsync(5);
        await _store.Checkpointer.WriteAsync("test", default);
        await ExecuteAsync("UPDATE \"AuditEvents\" SET \"Outcome\" = 'Refused' WHERE \"Sequence\" = 3");

        var result = await _store.VerifyAsync();

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("Event 3 does not verify: it was edited, or written without the audit key.", result.Problems);
    }

    [Fact]
    public async Task ADeletedEventInTheMiddle_IsNamedAsMissing()
    {
        await AppendAsync(5);
        await _store.Checkpointer.WriteAsync("test", default);
        await ExecuteAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 2");

        var result = await _store.VerifyAsync();

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("Event 2 is missing: event 3 follows event 1.", result.Problems);
    }

    [Fact]
    public async Task DeletingTheLastEvents_IsTruncation_AndTheMissingOnesAreNamed()
    {
        await AppendAsync(57);
        await _store.Checkpointer.WriteAsync("test", default);
        await ExecuteAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > 40");

        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Broken, result.Verdict);
        Assert.Equal(41, result.FirstBrokenSequence);
        Assert.Contains("The checkpoint of 2026-12-04 09:00:00 UTC recorded 57 events; the store has 40: events 41–57 are missing.", result.Problems);
    }

    [Fact]
    public async Task DeletingEveryEvent_IsAWipe()
    {
        await AppendAsync(57);
        await _store.Checkpointer.WriteAsync("test", default);
        await ExecuteAsync("DELETE FROM \"AuditEvents\"");

        var result = await _store.VerifyAsync();

        Assert.Equal(0, result.Count);
        Assert.Contains("The checkpoint of 2026-12-04 09:00:00 UTC recorded 57 events; the store has none: all 57 were deleted (the trail was wiped).", result.Problems);
    }

    [Fact]
    public async Task EditingAnEvent_AndRecomputingEveryLaterLinkWithoutTheKey_IsDetectedAtTheEditedEvent()
    {
        await AppendAsync(20);
        await _store.Checkpointer.WriteAsync("test", default);
        await using (var db = _database.NewContext())
        {
            await Attacker.RewriteFromAsync(db, 12, "nothing happened", Attacker.Sha256);
        }

        var unkeyed = await _store.VerifyAsync();
        await using (var db = _database.NewContext())
        {
            var guessed = Attacker.GuessedKey();
            await Attacker.RewriteFromAsync(db, 12, "nothing happened", r => Attacker.Hmac(guessed, r));
        }

        var guessedKey = await _store.VerifyAsync();

        foreach (var result in new[] { unkeyed, guessedKey })
        {
            Assert.Equal(12, result.FirstBrokenSequence);
            Assert.Contains("Events 12–20 do not verify: they were edited, or rewritten without the audit key.", result.Problems);
            Assert.Contains("Event 20 is not the event the checkpoint of 2026-12-04 09:00:00 UTC recorded: the trail up to it was rewritten.", result.Problems);
        }
    }

    [Fact]
    public async Task EvenWithTheKey_RewritingEventsACheckpointCovers_IsDetected()
    {
        await AppendAsync(20);
        await _store.Checkpointer.WriteAsync("test", default);
        var stolen = Convert.FromBase64String(await File.ReadAllTextAsync(_store.KeyFile));
        await using (var db = _database.NewContext())
        {
            await Attacker.RewriteFromAsync(db, 12, "nothing happened", r => Attacker.Hmac(stolen, r));
        }

        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Broken, result.Verdict);
        Assert.Equal(["Event 20 is not the event the checkpoint of 2026-12-04 09:00:00 UTC recorded: the trail up to it was rewritten."], result.Problems);
    }

    [Fact]
    public async Task MovingTheKeyedEpochToPassRewrittenEventsOffAsUnkeyed_IsDetected()
    {
        await AppendAsync(20);
        await _store.Checkpointer.WriteAsync("test", default);
        await using (var db = _database.NewContext())
        {
            await Attacker.RewriteFromAsync(db, 1, "nothing happened", Attacker.Sha256);
            await Attacker.ExecuteAsync(db, "UPDATE \"AuditChainState\" SET \"KeyedFromSequence\" = 1000");
        }

        var result = await _store.VerifyAsync();

        Assert.Contains("The store says events are keyed from event 1000, but the checkpoint of 2026-12-04 09:00:00 UTC says from event 1: the store's chain state was edited.", result.Problems);
        Assert.Contains("Event 20 is not the event the checkpoint of 2026-12-04 09:00:00 UTC recorded: the trail up to it was rewritten.", result.Problems);
    }

    [Fact]
    public async Task AnEditedCheckpointLine_HidingATruncation_IsNamedAsForged()
    {
        await AppendAsync(57);
        await _store.Checkpointer.WriteAsync("test", default);
        await ExecuteAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > 40");
        var line = JsonNode.Parse((await File.ReadAllLinesAsync(_store.CheckpointPath))[0])!;
        line["count"] = 40;
        line["head"] = 40;
        await File.WriteAllTextAsync(_store.CheckpointPath, line.ToJsonString() + "\n");

        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Broken, result.Verdict);
        Assert.Contains($"Line 1 of {_store.CheckpointPath} (the checkpoint of 2026-12-04 09:00:00 UTC) does not verify: it was edited or forged.", result.Problems);
    }

    [Fact]
    public async Task AForgedCheckpointLine_AndALineThatIsNotACheckpoint_AreNamed()
    {
        await AppendAsync(3);
        await _store.Checkpointer.WriteAsync("test", default);
        var forged = JsonNode.Parse((await File.ReadAllLinesAsync(_store.CheckpointPath))[0])!;
        forged["mac"] = new string('a', 64);
        await File.AppendAllTextAsync(_store.CheckpointPath, forged.ToJsonString() + "\nhello\n");

        var result = await _store.VerifyAsync();

        Assert.Contains($"Line 2 of {_store.CheckpointPath} (the checkpoint of 2026-12-04 09:00:00 UTC) does not verify: it was edited or forged.", result.Problems);
        Assert.Contains($"Line 3 of the checkpoint file {_store.CheckpointPath} is not a checkpoint: the file was edited.", result.Problems);
    }

    [Fact]
    public async Task ADeletedCheckpointFile_IsReportedLoudly_NeverAsIntact()
    {
        await AppendAsync(3);
        await _store.Checkpointer.WriteAsync("test", default);
        File.Delete(_store.CheckpointPath);

        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Broken, result.Verdict);
        Assert.StartsWith($"There are no checkpoints: {_store.CheckpointPath} (Audit:CheckpointPath) does not exist.", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWrongKey_IsAConfigurationError_NamingBothKeys()
    {
        await AppendAsync(3);
        await _store.Checkpointer.WriteAsync("test", default);
        await using var other = new AuditedStore(_database, _folder, _time, new Dictionary<string, string?>
        {
            ["Audit:KeyFile"] = string.Empty,
            ["Audit:ChainKey"] = Convert.ToBase64String(Attacker.GuessedKey()),
        });

        var result = await other.VerifyAsync();

        Assert.Equal(AuditVerdict.Misconfigured, result.Verdict);
        Assert.Contains("from Audit:ChainKey) is not the key this trail was written with", Assert.Single(result.Problems), StringComparison.Ordinal);
        await Assert.ThrowsAsync<AuditConfigurationException>(() => other.AppendAsync("with the wrong key"));
    }

    [Fact]
    public async Task ALostKeyFile_IsNeverSilentlyReplacedByANewKey()
    {
        await AppendAsync(3);
        File.Delete(_store.KeyFile);
        await using var restarted = new AuditedStore(_database, _folder, _time);

        var append = await Assert.ThrowsAsync<AuditConfigurationException>(() => restarted.AppendAsync("after the key was lost"));
        var result = await restarted.VerifyAsync();

        Assert.Contains("Restore that file or set Audit:ChainKey", append.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.KeyFile));
        Assert.Equal(AuditVerdict.Misconfigured, result.Verdict);
        Assert.Contains($"the key file {_store.KeyFile} (Audit:KeyFile) does not exist", result.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheGeneratedKey_IsAFileOnlyItsOwnerCanRead_AndNeverInTheDatabase()
    {
        await AppendAsync(1);
        await _store.Checkpointer.WriteAsync("test", default);
        var key = (await File.ReadAllTextAsync(_store.KeyFile)).Trim();

        Assert.Equal(32, Convert.FromBase64String(key).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.KeyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_store.CheckpointPath));
        }

        await using var db = _database.NewContext();
        var state = await db.AuditChainState.SingleAsync();
        var stored = string.Join("|", await db.AuditEvents.Select(e => e.Hash + e.PreviousHash + e.Reason).ToListAsync());
        Assert.NotEqual(key, state.KeyId);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(_store.CheckpointPath), StringComparison.Ordinal);
        Assert.DoesNotContain(_store.Logs.Lines, l => l.Message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoreHashedBeforeKeying_IsKeyedFromTheNextEvent_AndBothPartsVerify()
    {
        await MigrateToBeforeKeyingAsync();
        await InsertUnkeyedEventsAsync(4);
        await using (var db = _database.NewContext())
        {
            await StoreDatabase.MigrateAsync(db);
        }

        await AppendAsync(3);
        await _store.Checkpointer.WriteAsync("test", default);
        var result = await _store.VerifyAsync();

        Assert.Equal(AuditVerdict.Intact, result.Verdict);
        Assert.Equal(7, result.Count);
        Assert.Contains("Events 1–4 were written before the chain was keyed (SHA-256 only); they are protected through event 5's MAC, which covers the last of them.", result.Notes);
    }

    [Fact]
    public async Task RewritingTheEventsHashedBeforeKeying_BreaksTheFirstKeyedLink()
    {
        await MigrateToBeforeKeyingAsync();
        await InsertUnkeyedEventsAsync(4);
        await using (var db = _database.NewContext())
        {
            await StoreDatabase.MigrateAsync(db);
        }

        await AppendAsync(3);
        await using (var db = _database.NewContext())
        {
            await Attacker.RewriteFromAsync(db, 2, "nothing happened", Attacker.Sha256, through: 4);
        }

        var result = await _store.VerifyAsync();

        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Contains("Event 5 does not link to event 4: events 1–4, written before the chain was keyed, were rewritten.", result.Problems);
    }

    private async Task MigrateToBeforeKeyingAsync()
    {
        await using var db = _database.NewContext();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_ComplianceSnapshots", StringComparison.Ordinal)));
    }

    /// <summary>Events as the version before keying wrote them: SHA-256 links, no key.</summary>
    private async Task InsertUnkeyedEventsAsync(int count)
    {
        await using var db = _database.NewContext();
        var previous = AuditLog.GenesisHash;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var record = new Entities.AuditEventRecord
            {
                Sequence = sequence, At = _time.GetUtcNow(), ActorObjectId = "person-alex", ActorName = "Alex Wilber", AppObjectId = "obj-1",
                Operation = "RotateSecret", Outcome = "Succeeded", Reason = $"before keying {sequence}", PreviousHash = previous, Hash = string.Empty,
            };
            record.Hash = Attacker.Sha256(record);
            previous = record.Hash;
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO \"AuditEvents\" (\"Sequence\", \"At\", \"ActorObjectId\", \"ActorName\", \"AppObjectId\", \"Operation\", \"Outcome\", \"Reason\", \"Ticket\", \"PreviousHash\", \"Hash\") VALUES ({record.Sequence}, {record.At.UtcTicks}, {record.ActorObjectId}, {record.ActorName}, {record.AppObjectId}, {record.Operation}, {record.Outcome}, {record.Reason}, {(string?)null}, {record.PreviousHash}, {record.Hash})");
        }
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await _store.AppendAsync($"reason {i}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _database.NewContext();
        await Attacker.ExecuteAsync(db, sql);
    }
}

public sealed class SqliteAuditTrailTampering : AuditTrailTamperingTests<SqliteStore>;

public sealed class PostgresAuditTrailTampering : AuditTrailTamperingTests<PostgresStore>;

using CredentialBot.Domain;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>The audit trail is a hash chain: editing, deleting or inserting a row is detected at that row.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        for (var i = 1; i <= 5; i++)
        {
            await using var db = _store.NewContext();
            await new AuditLog(db).AppendAsync(new AuditEvent("person-alex", "Alex Wilber", "obj-1", "RotateSecret", "Succeeded", $"reason {i}", "INC-1", _store.Time.GetUtcNow()));
        }
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AnUntouchedChain_Verifies()
    {
        Assert.Equal(new AuditVerification(true, null, 5), await VerifyAsync());
    }

    [Fact]
    public async Task AnEditedRow_BreaksTheChainThere()
    {
        await ExecuteAsync("UPDATE \"AuditEvents\" SET \"Outcome\" = 'Refused' WHERE \"Sequence\" = 3");

        var result = await VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task ADeletedRow_BreaksTheChainThere()
    {
        await ExecuteAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 2");

        Assert.Equal(2, (await VerifyAsync()).FirstBrokenSequence);
    }

    [Fact]
    public async Task ADeletedLastRow_IsNotDetectable_ButEverythingBeforeItStillVerifies()
    {
        await ExecuteAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 5");

        Assert.Equal(new AuditVerification(true, null, 4), await VerifyAsync());
    }

    [Fact]
    public async Task ConcurrentAppends_AllLand_AndTheChainStillVerifies()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var db = _store.NewContext();
            await new AuditLog(db).AppendAsync(new AuditEvent($"p{i}", null, null, "Scan", "Succeeded", null, null, _store.Time.GetUtcNow()));
        }));

        Assert.Equal(new AuditVerification(true, null, 13), await VerifyAsync());
    }

    [Fact]
    public async Task AnAppsEvents_AreListedNewestFirst()
    {
        await using var db = _store.NewContext();

        var events = await new AuditLog(db).ListForAppAsync("obj-1", 2);

        Assert.Equal(["reason 5", "reason 4"], events.Select(e => e.Reason));
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var db = _store.NewContext();
        return await new AuditLog(db).VerifyAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _store.NewContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}

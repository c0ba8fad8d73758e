using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Hands-free rotations: a secret's or certificate's rotation starts once, a row is held by one claimant at a time, and each one-time
/// event happens once, whoever races. Run on SQLite and PostgreSQL, each racer with its own connection, as instances would.
/// </summary>
public abstract class AutomaticRotationStoreTests(ITestStore store) : IAsyncLifetime
{
    private static readonly Credential Old = new("old-key", CredentialKind.Secret, "prod-secret", null, new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task TenInstancesFindingTheSameSecretDue_StartOneRotation()
    {
        var now = store.Time.GetUtcNow();

        var started = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var db = store.NewContext();
            return await new AutomaticRotationStore(db).StartAsync("app-1", AppKind.Application, Old, "Hands-free", $"marker-{i}", now);
        }));

        Assert.Single(started, s => s);
        await using var check = store.NewContext();
        var row = Assert.Single(await new AutomaticRotationStore(check).UnfinishedAsync(now, 10));
        Assert.Equal((AutomaticRotationState.Pending, "old-key", Old.EndsAt, now), (row.State, row.OldKeyId, row.OldEndsAt, row.CreatedAt));
        Assert.Equal(new HashSet<string> { "old-key" }, (await new AutomaticRotationStore(check).HandledAsync(["app-1"]))["app-1"]);
    }

    [Fact]
    public async Task TenClaimantsAtOnce_OneHoldsTheRotation_UntilItsClaimLapses()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var db = store.NewContext();
            return await new AutomaticRotationStore(db).ClaimAsync(id, now, now.AddMinutes(10));
        }));

        Assert.Single(claims, c => c);
        await using var check = store.NewContext();
        var rotations = new AutomaticRotationStore(check);
        Assert.Empty(await rotations.UnfinishedAsync(now.AddMinutes(9), 10));
        Assert.False(await rotations.ClaimAsync(id, now.AddMinutes(9), now.AddMinutes(19)));
        Assert.Single(await rotations.UnfinishedAsync(now.AddMinutes(10), 10));
        Assert.True(await rotations.ClaimAsync(id, now.AddMinutes(10), now.AddMinutes(20)));
    }

    [Fact]
    public async Task DeliveryOfAnotherAttemptsSecret_IsRefused_AndEachOneTimeEventHappensOnce()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        await rotations.MarkAddingAsync(id);
        await rotations.MarkAddedAsync(id, "new-key", now.AddDays(365));

        Assert.False(await rotations.MarkDeliveredAsync(id, "someone-elses-key", "https://v/secrets/app-1/1", now));
        Assert.True(await rotations.MarkDeliveredAsync(id, "new-key", "https://v/secrets/app-1/1", now));
        Assert.False(await rotations.MarkDeliveredAsync(id, "new-key", "https://v/secrets/app-1/1", now));
        Assert.True(await rotations.ClaimTellingAsync(id, now));
        Assert.False(await rotations.ClaimTellingAsync(id, now));
        Assert.True(await rotations.ClaimEscalationAsync(id, now));
        Assert.False(await rotations.ClaimEscalationAsync(id, now));
        Assert.True(await rotations.MarkRemovalScheduledAsync(id, now));
        Assert.False(await rotations.MarkRemovalScheduledAsync(id, now));

        var row = Assert.Single(await rotations.ForAppsAsync(["app-1"]));
        Assert.Equal((AutomaticRotationState.RemovalScheduled, "new-key", 1, "https://v/secrets/app-1/1"), (row.State, row.NewKeyId, row.Attempts, row.VaultSecretId));
    }

    [Fact]
    public async Task ARefusedRotation_IsReopenedOnce_AndItsTellingCanHappenAgain()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        Assert.True(await rotations.RefuseAsync(id, "no vault"));
        Assert.True(await rotations.ClaimTellingAsync(id, now));
        Assert.Empty(await rotations.UnfinishedAsync(now, 10));

        Assert.True(await rotations.ReopenAsync(id));
        Assert.False(await rotations.ReopenAsync(id));
        Assert.Single(await rotations.UnfinishedAsync(now, 10));
        Assert.True(await rotations.ClaimTellingAsync(id, now));
    }

    [Fact]
    public async Task ACertificatesRotation_KeepsItsKindAndThumbprint_BesideASecretsOnTheSameApp()
    {
        var now = store.Time.GetUtcNow();
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        var certificate = Old with { KeyId = "old-certificate", Kind = CredentialKind.Certificate, DisplayName = "CN=payroll-api" };
        Assert.True(await rotations.StartAsync("app-1", AppKind.Application, Old, "Hands-free", "marker-secret", now));
        Assert.True(await rotations.StartAsync("app-1", AppKind.Application, certificate, "Hands-free", "marker-certificate", now));
        Assert.False(await rotations.StartAsync("app-1", AppKind.Application, certificate, "Hands-free", "marker-again", now));

        var id = Assert.Single(await rotations.UnfinishedAsync(now, 10), r => r.Kind == CredentialKind.Certificate).Id;
        await rotations.MarkAddingAsync(id);
        await rotations.MarkAddedAsync(id, "new-certificate", now.AddDays(365), "0123456789ABCDEF0123456789ABCDEF01234567");
        Assert.True(await rotations.MarkDeliveredAsync(id, "new-certificate", "https://v/certificates/app-1-cert", now));

        var delivered = Assert.Single(await rotations.ForAppsAsync(["app-1"]));
        Assert.Equal((CredentialKind.Certificate, "0123456789ABCDEF0123456789ABCDEF01234567", "certificate"), (delivered.Kind, delivered.NewThumbprint, delivered.KindName));
        var secret = Assert.Single(await rotations.UnfinishedAsync(now, 10));
        Assert.Equal((CredentialKind.Secret, (string?)null, "secret"), (secret.Kind, secret.NewThumbprint, secret.KindName));
    }

    [Fact]
    public async Task ACertificateLeftToPeople_IsNotWorkedOn_NotReopened_AndNotStartedAgain()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);

        Assert.True(await rotations.RefuseAsync(id, "not made by the vault", AutomaticRotationState.LeftToPeople));
        Assert.False(await rotations.RefuseAsync(id, "again", AutomaticRotationState.LeftToPeople));

        Assert.Empty(await rotations.UnfinishedAsync(now, 10));
        Assert.Empty(await rotations.RefusedAsync(10));
        Assert.False(await rotations.ReopenAsync(id));
        Assert.False(await rotations.ClaimAsync(id, now, now.AddMinutes(10)));
        Assert.False(await rotations.StartAsync("app-1", AppKind.Application, Old, "Hands-free", "marker-2", now));
        Assert.Contains("old-key", (await rotations.HandledAsync(["app-1"]))["app-1"]);
    }

    [Fact]
    public async Task ARotationStartedBeforeCertificatesWereRotated_ReadsAsASecretsAfterTheMigration()
    {
        var now = store.Time.GetUtcNow();
        await using (var db = store.NewContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_AutomaticCertificateRotations", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
            var (endsAt, createdAt) = (Old.EndsAt.UtcTicks, now.UtcTicks);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "AutomaticRotations" ("AppObjectId", "AppKind", "OldKeyId", "OldCredentialName", "OldEndsAt", "PolicyName", "Marker", "State", "Attempts", "CreatedAt")
                VALUES ('app-1', 'Application', 'old-key', 'prod-secret', {endsAt}, 'Hands-free', 'marker', 'Pending', 0, {createdAt})
                """);
            await StoreDatabase.MigrateAsync(db);
        }

        await using var check = store.NewContext();
        var row = Assert.Single(await new AutomaticRotationStore(check).UnfinishedAsync(now, 10));
        Assert.Equal((CredentialKind.Secret, "old-key", (string?)null), (row.Kind, row.OldKeyId, row.NewThumbprint));
    }

    [Fact]
    public async Task AFailure_OfAnAttemptWhoseClaimLapsed_LeavesTheAttemptThatTookOverAlone()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        var (first, second) = (now.AddMinutes(10), now.AddMinutes(21));
        Assert.True(await rotations.ClaimAsync(id, now, first));
        Assert.True(await rotations.ClaimAsync(id, now.AddMinutes(11), second));
        await rotations.MarkAddingAsync(id);

        Assert.False(await rotations.FailAsync(id, "the first attempt's late failure", first, now.AddHours(1)));
        Assert.Empty(await rotations.UnfinishedAsync(now.AddMinutes(20), 10));

        await rotations.MarkAddedAsync(id, "new-key", now.AddDays(365));
        Assert.True(await rotations.MarkDeliveredAsync(id, "new-key", "https://v/certificates/app-1-cert", now));
        Assert.False(await rotations.FailAsync(id, "too late", second, now.AddHours(1)));
        Assert.Equal(AutomaticRotationState.Delivered, Assert.Single(await rotations.DeliveredAsync(10)).State);
    }

    [Fact]
    public async Task AFailure_OfTheAttemptHoldingTheClaim_PutsTheRotationBackUntilTheRetry()
    {
        var now = store.Time.GetUtcNow();
        var id = await StartAsync(now);
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        Assert.True(await rotations.ClaimAsync(id, now, now.AddMinutes(10)));
        await rotations.MarkAddingAsync(id);

        Assert.True(await rotations.FailAsync(id, "the vault refused", now.AddMinutes(10), now.AddHours(1)));

        Assert.Empty(await rotations.UnfinishedAsync(now.AddMinutes(59), 10));
        var row = Assert.Single(await rotations.UnfinishedAsync(now.AddHours(1), 10));
        Assert.Equal((AutomaticRotationState.Pending, "the vault refused"), (row.State, row.Problem));
    }

    private async Task<long> StartAsync(DateTimeOffset now)
    {
        await using var db = store.NewContext();
        var rotations = new AutomaticRotationStore(db);
        Assert.True(await rotations.StartAsync("app-1", AppKind.Application, Old, "Hands-free", "marker", now));
        return Assert.Single(await rotations.UnfinishedAsync(now, 10)).Id;
    }
}

using System.Diagnostics;
using CredentialBot.Cli;
using CredentialBot.Store;
using CredentialBot.TestKit.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The <c>migrate</c> CLI verb brings a store up to date for deployments that migrate in a step of their own
/// (<c>Store:MigrateAtStart=false</c>); several of them, or instances, may run at once on one PostgreSQL database.
/// </summary>
public sealed class MigrateVerbTests
{
    /// <summary>How many migrations this build has for PostgreSQL.</summary>
    private static readonly int Migrations = CountMigrations();

    [Fact]
    public async Task ThreeProcessesMigratingOneEmptyPostgresDatabase_AllSucceed_AndEachMigrationIsAppliedOnce()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("verb");

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RunProcessAsync("migrate", "--Store:Provider=Postgres", $"--Store:ConnectionString={connectionString}")));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Single(runs, r => r.Output.Contains($"Applied {Migrations} migrations", StringComparison.Ordinal));
        Assert.Equal(2, runs.Count(r => r.Output.Contains("up to date", StringComparison.Ordinal)));
        Assert.Equal(2L, await ScalarAsync(connectionString, """SELECT count(*) FROM "Policies" """));
        Assert.Equal((long)Migrations, await ScalarAsync(connectionString, """SELECT count(*) FROM "__EFMigrationsHistory" """));
    }

    [Fact]
    public async Task OnACurrentStore_ItSaysSo_AndExitsWith0()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("verb");
        string[] store = ["--Store:Provider=Postgres", $"--Store:ConnectionString={connectionString}"];
        Assert.Equal(0, await MigrateVerb.RunAsync(store, TextWriter.Null));
        using var output = new StringWriter();

        Assert.Equal(0, await MigrateVerb.RunAsync(store, output));

        Assert.Contains("The store is up to date", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMigrationTheDatabaseRefuses_ExitsWith1_WithTheDatabasesReason()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("verb");
        // Someone's table in the way of the first migration.
        await ScalarAsync(connectionString, """CREATE TABLE "Apps" (x int)""");
        using var output = new StringWriter();

        var exit = await MigrateVerb.RunAsync(["--Store:Provider=Postgres", $"--Store:ConnectionString={connectionString}"], output);

        Assert.Equal(1, exit);
        Assert.Contains("Migrating the store failed", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"Apps\" already exists", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownArgument_ExitsWith2_NamingIt()
    {
        using var output = new StringWriter();

        Assert.Equal(2, await MigrateVerb.RunAsync(["--force"], output));

        Assert.Contains("'--force'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithMigrateAtStartOff_AnotherVerbOnAStoreBehind_ExitsWith2_SayingToRunMigrate()
    {
        var connectionString = await (await PostgresCluster.Shared).CreateDatabaseAsync("verb");
        using var output = new StringWriter();

        var exit = await ComplianceVerb.RunAsync(["--Store:Provider=Postgres", $"--Store:ConnectionString={connectionString}", "--Store:MigrateAtStart=false"], output);

        Assert.Equal(2, exit);
        Assert.Contains("migrations are pending", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("CredentialBot migrate", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    private static int CountMigrations()
    {
        var options = new DbContextOptionsBuilder<PostgresCredentialBotDbContext>();
        StoreServiceCollectionExtensions.UsePostgres(options, "Host=unused");
        using var db = new PostgresCredentialBotDbContext(options.Options);
        return db.Database.GetMigrations().Count();
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

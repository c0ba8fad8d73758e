using System.Diagnostics;
using CredentialBot.TestKit.Postgres;
using CredentialBot.TestKit.Waiting;
using Npgsql;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The private PostgreSQL servers the tests start never outlive the process that started them, even when the test
/// runner kills it: a test run leaves no server running and no folder behind.
/// </summary>
public sealed class PrivatePostgresServers
{
    [Fact]
    public async Task AServerWhoseOwnerIsKilled_StopsAndLeavesNoFolder()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var cluster = await PostgresCluster.StartAsync(owner.Id);
        Assert.True(await AcceptsConnectionsAsync(cluster));

        owner.Kill();
        await owner.WaitForExitAsync();

        await Until.TrueAsync(async () => !await AcceptsConnectionsAsync(cluster) && !Directory.Exists(cluster.Folder),
            TimeSpan.FromSeconds(60), "the server stopped and its folder removed");
    }

    private static async Task<bool> AcceptsConnectionsAsync(PostgresCluster cluster)
    {
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}

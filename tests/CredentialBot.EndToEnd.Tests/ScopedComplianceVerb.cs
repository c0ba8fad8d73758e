using CredentialBot.Cli;

namespace CredentialBot.EndToEnd.Tests;

/// <summary><c>compliance --scope NAME</c>: a scope from settings, counted alone and named in the output.</summary>
public sealed class ScopedComplianceVerb : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-scope-verb-" + Guid.NewGuid().ToString("N"));

    public ScopedComplianceVerb() => System.IO.Directory.CreateDirectory(_directory);

    private string[] Settings =>
    [
        $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}",
        "--AdminScopes:Scopes:0:Name=Payroll",
        "--AdminScopes:Scopes:0:People:0=00000000-0000-0000-0000-0000000000020",
        "--AdminScopes:Scopes:0:Apps:0=name:Payroll*",
    ];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ComplianceWithAScope_CountsOnlyItsApps_AndSaysWhichScope()
    {
        Assert.Equal(0, await ScanVerb.RunAsync(Settings, TextWriter.Null));
        using var output = new StringWriter();

        Assert.Equal(0, await ComplianceVerb.RunAsync(["--scope", "payroll", .. Settings], output));

        Assert.Contains("Scope: Payroll (name:Payroll*) (only these apps are counted)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 (2 app registrations, 0 enterprise applications)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownScope_OrAScopeWithCsv_IsABadArgument()
    {
        using var unknown = new StringWriter();
        using var csv = new StringWriter();

        Assert.Equal(2, await ComplianceVerb.RunAsync(["--scope", "Marketing", .. Settings], unknown));
        Assert.Equal(2, await ComplianceVerb.RunAsync(["--scope", "Payroll", "--format", "csv", .. Settings], csv));

        Assert.Contains("No admin scope is named \"Marketing\" in AdminScopes:Scopes.", unknown.ToString(), StringComparison.Ordinal);
        Assert.Contains("--scope NAME (table only)", csv.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScopeThatCannotWork_StopsTheVerb_NamingTheSetting()
    {
        using var output = new StringWriter();

        Assert.Equal(2, await ComplianceVerb.RunAsync(["--scope", "Payroll", .. Settings, "--AdminScopes:Scopes:0:Apps:1=payroll"], output));

        Assert.Contains("AdminScopes:Scopes:0:Apps:1", output.ToString(), StringComparison.Ordinal);
    }
}

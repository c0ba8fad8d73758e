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
    public async Task AnUnknownScope_IsABadArgument()
    {
        using var unknown = new StringWriter();

        Assert.Equal(2, await ComplianceVerb.RunAsync(["--scope", "Marketing", .. Settings], unknown));

        Assert.Contains("No admin scope is named \"Marketing\" in AdminScopes:Scopes or among the scopes made in Teams.", unknown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComplianceWithAScope_WritesCsvOfItsAppsOnly_WithTheScopeColumn_AndJsonNamingTheScope()
    {
        Assert.Equal(0, await ScanVerb.RunAsync(Settings, TextWriter.Null));
        using var csv = new StringWriter();
        using var json = new StringWriter();

        Assert.Equal(0, await ComplianceVerb.RunAsync(["--scope", "Payroll", "--format", "csv", .. Settings], csv));
        Assert.Equal(0, await ComplianceVerb.RunAsync(["--scope", "Payroll", "--format", "json", .. Settings], json));

        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.EndsWith(",scope", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",Payroll", l, StringComparison.Ordinal));
        var document = System.Text.Json.JsonDocument.Parse(json.ToString()).RootElement;
        Assert.Equal("Payroll (name:Payroll*)", document.GetProperty("scope").GetString());
        Assert.Equal(2, document.GetProperty("summary").GetProperty("Applications").GetInt32());
    }

    [Fact]
    public async Task AScopeThatCannotWork_StopsTheVerb_NamingTheSetting()
    {
        using var output = new StringWriter();

        Assert.Equal(2, await ComplianceVerb.RunAsync(["--scope", "Payroll", .. Settings, "--AdminScopes:Scopes:0:Apps:1=payroll"], output));

        Assert.Contains("AdminScopes:Scopes:0:Apps:1", output.ToString(), StringComparison.Ordinal);
    }
}

using CredentialBot.Cli;
using CredentialBot.Hosting;
using CredentialBot.Packaging;

// CLI verbs run and exit; anything else starts the bot.
if (args is ["package", .. var packageArgs])
{
    return await AppPackageCommand.RunAsync(packageArgs, Console.Out).ConfigureAwait(false);
}

if (args is ["scan", .. var scanArgs])
{
    return await ScanVerb.RunAsync(scanArgs, Console.Out).ConfigureAwait(false);
}

if (args is ["verify-audit", .. var verifyArgs])
{
    return await VerifyAuditVerb.RunAsync(verifyArgs, Console.Out).ConfigureAwait(false);
}

if (args is ["compliance", .. var complianceArgs])
{
    return await ComplianceVerb.RunAsync(complianceArgs, Console.Out).ConfigureAwait(false);
}

if (args is ["import-owners", .. var importArgs])
{
    return await ImportOwnersVerb.RunAsync(importArgs, Console.Out).ConfigureAwait(false);
}

if (args is ["export-audit", .. var exportArgs])
{
    return await ExportAuditVerb.RunAsync(exportArgs, Console.Out).ConfigureAwait(false);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCredentialBot();
var app = builder.Build();
app.MapCredentialBot();
await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>Exposed for WebApplicationFactory in the end-to-end tests.</summary>
public partial class Program;

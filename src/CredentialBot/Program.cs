using CredentialBot.Cli;
using CredentialBot.Hosting;

// CLI verbs run and exit; anything else starts the bot.
if (CliVerbs.TryRun(args, Console.Out) is { } verb)
{
    return await verb;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCredentialBot();
var app = builder.Build();
app.MapCredentialBot();
await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the end-to-end tests.</summary>
public partial class Program;

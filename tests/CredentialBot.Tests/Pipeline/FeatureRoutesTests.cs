using System.Reflection;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Hosting;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Tests.Pipeline;

/// <summary>
/// The features' registrations, as the composition root makes them: every button a card can carry, every command and
/// every dialog has exactly one route, and the routing tables are built from declarations alone.
/// </summary>
public sealed class FeatureRoutesTests
{
    private static readonly ServiceProvider Services = Build();

    [Fact]
    public void EveryVerbACardCanCarry_HasExactlyOneRoute()
    {
        var keys = Services.GetServices<Route>().Select(r => r.Key).ToList();

        Assert.All(Constants(typeof(CardVerbs)), verb => Assert.Single(keys, k => k == RouteKey.ForCardAction(verb)));
    }

    [Fact]
    public void EveryCommandName_IsACommand_AndEveryCommandHasAName()
    {
        var registered = Services.GetRequiredService<CommandTable>().Commands.Select(c => c.Name).Order(StringComparer.Ordinal);

        Assert.Equal(Constants(typeof(CommandNames)).Order(StringComparer.Ordinal), registered);
    }

    [Fact]
    public void EveryDialogName_IsADialog()
    {
        var dialogs = Services.GetRequiredService<DialogTable>();

        Assert.All(Constants(typeof(DialogNames)), name => Assert.NotNull(dialogs.Find(name)));
    }

    [Fact]
    public void TheRoutingTables_AreBuiltFromDeclarations_WithoutConstructingAHandler()
    {
        // Every handler, command and dialog is scoped: building a table from the root provider would throw (scopes are
        // validated) if it resolved one.
        Assert.NotNull(Services.GetRequiredService<ActivityRouter>());
        Assert.NotNull(Services.GetRequiredService<CommandTable>());
        Assert.NotNull(Services.GetRequiredService<DialogTable>());
    }

    private static ServiceProvider Build()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddCredentialBot();
        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static IEnumerable<string> Constants(Type names) =>
        names.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}

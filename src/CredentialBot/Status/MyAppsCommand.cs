using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary><c>my apps</c>: the Apps the actor owns in any kind, most urgent first. Answered from the store.</summary>
public sealed class MyAppsCommand(AppCatalog catalog, TimeProvider time) : IBotCommand
{
    public static CommandInfo Info { get; } = new(
        CommandNames.MyApps,
        CommandNames.MyApps,
        "List the apps you own (Entra, technical or business owner), most urgent first, with their nearest expiry.");

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Who.ObjectId.Length == 0)
        {
            return CommandReply.WithText("I can't tell who you are: your Teams account carries no Entra object id, so I can't look up your apps.");
        }

        var apps = await catalog.ListOwnedByAsync(request.Who.ObjectId, cancellationToken);
        return CommandReply.WithCard(MyAppsCard.Build(apps, request.Who.ObjectId, time.GetUtcNow()));
    }
}

using CredentialBot.Cards;
using CredentialBot.Store;

namespace CredentialBot.Commands;

/// <summary><c>my apps</c>: the Apps the actor owns in any kind, most urgent first. Answered from the store.</summary>
public sealed class MyAppsCommand(AppCatalog catalog, TimeProvider time) : IBotCommand
{
    public string Name => CommandNames.MyApps;

    public string Usage => CommandNames.MyApps;

    public string Description => "List the apps you own (Entra, technical or business owner), most urgent first, with their nearest expiry.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Actor.ObjectId))
        {
            return CommandReply.WithText("I can't tell who you are: your Teams account carries no Entra object id, so I can't look up your apps.");
        }

        var apps = await catalog.ListOwnedByAsync(request.Actor.ObjectId, cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(MyAppsCard.Build(apps, request.Actor.ObjectId, time.GetUtcNow()));
    }
}

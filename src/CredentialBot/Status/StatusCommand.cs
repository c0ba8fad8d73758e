using CredentialBot.Shared.Commands;

namespace CredentialBot.Status;

/// <summary>
/// <c>status &lt;app name or appId&gt;</c>: one App's credentials, owners and findings, with the actions the person
/// asking may take (Rotate now or Request elevation, Add owner, Transfer).
/// </summary>
public sealed class StatusCommand(AppLookup lookup, StatusCards statusCards) : IBotCommand
{
    public static CommandInfo Info { get; } = new(
        CommandNames.Status,
        $"{CommandNames.Status} *app name or appId*",
        "Show an app's secrets and certificates with days left, its owners by kind, and what its policy finds wrong.");

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await lookup.FindAsync(request.Arguments, Info.Name, cancellationToken);
        return found.App is { } app
            ? CommandReply.WithCard(await statusCards.ForViewerAsync(app, request.Who, cancellationToken))
            : found.Reply!;
    }
}

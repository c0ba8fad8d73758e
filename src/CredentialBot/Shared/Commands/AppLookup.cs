using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Commands;

/// <summary>
/// Finds the App a command names: an exact appId, object id or name wins; otherwise a single partial match is
/// used and several are offered as choices that re-run the same command.
/// </summary>
public sealed class AppLookup(AppCatalog catalog)
{
    /// <summary>Longer queries are refused: no App name in Entra is this long, and it bounds the store query.</summary>
    public const int MaxQueryLength = 256;

    /// <summary>The App, or the reply to send instead (a question, the choices, or why nothing matched).</summary>
    public async Task<AppLookupResult> FindAsync(string arguments, string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var query = arguments.Trim();
        if (query.Length == 0)
        {
            return new(null, CommandReply.WithText($"Which app? Type **{command}** followed by an app's name or appId, for example: {command} Payroll API"));
        }

        if (query.Length > MaxQueryLength)
        {
            return new(null, CommandReply.WithText($"That app name is too long ({query.Length} characters; at most {MaxQueryLength})."));
        }

        // Most commands name their App exactly (a card's button, a pasted appId): then the substring search, the
        // costliest step of a command, has nothing to add.
        var exact = await catalog.FindExactAsync(query, AppChoicesCard.MaxChoices + 1, cancellationToken);
        var matches = exact.Count > 0 ? exact : await catalog.FindAsync(query, AppChoicesCard.MaxChoices + 1, cancellationToken);
        return matches.Count switch
        {
            1 => new(matches[0], null),
            0 => new(null, CommandReply.WithText($"No app matches '{CardText.Literal(query, 80)}'. Try the exact display name or the appId.")),
            _ => new(null, CommandReply.WithCard(AppChoicesCard.Build(query, matches, command))),
        };
    }
}

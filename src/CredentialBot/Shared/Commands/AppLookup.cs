using CredentialBot.Domain;
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

        var matches = await catalog.FindAsync(query, AppChoicesCard.MaxChoices + 1, cancellationToken);
        var exact = matches.Where(a => IsExactMatch(a, query)).ToList();
        var chosen = exact.Count == 1 ? exact[0] : matches.Count == 1 ? matches[0] : null;
        if (chosen is not null)
        {
            return new(chosen, null);
        }

        return new(null, matches.Count == 0
            ? CommandReply.WithText($"No app matches '{CardText.Literal(query, 80)}'. Try the exact display name or the appId.")
            : CommandReply.WithCard(AppChoicesCard.Build(query, exact.Count > 1 ? exact : matches, command)));
    }

    private static bool IsExactMatch(App app, string query) =>
        string.Equals(app.AppId, query, StringComparison.OrdinalIgnoreCase)
        || string.Equals(app.ObjectId, query, StringComparison.OrdinalIgnoreCase)
        || string.Equals(app.DisplayName, query, StringComparison.OrdinalIgnoreCase);
}

using CredentialBot.Cards;
using CredentialBot.Domain;
using CredentialBot.Store;

namespace CredentialBot.Commands;

/// <summary>
/// <c>status &lt;app name or appId&gt;</c>: one App's credentials, owners and findings. An exact appId, object id
/// or name wins; otherwise a single partial match is shown and several are offered as choices.
/// </summary>
public sealed class StatusCommand(AppCatalog catalog, PolicyStore policies, TimeProvider time) : IBotCommand
{
    /// <summary>Longer queries are refused: no App name in Entra is this long, and it bounds the store query.</summary>
    public const int MaxQueryLength = 256;

    public string Name => CommandNames.Status;

    public string Usage => $"{CommandNames.Status} *app name or appId*";

    public string Description => "Show an app's secrets and certificates with days left, its owners by kind, and what its policy finds wrong.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Arguments.Trim();
        if (query.Length == 0)
        {
            return CommandReply.WithText($"Which app? Type **{CommandNames.Status}** followed by an app's name or appId, for example: {CommandNames.Status} Payroll API");
        }

        if (query.Length > MaxQueryLength)
        {
            return CommandReply.WithText($"That app name is too long ({query.Length} characters; at most {MaxQueryLength}).");
        }

        var matches = await catalog.FindAsync(query, AppChoicesCard.MaxChoices + 1, cancellationToken).ConfigureAwait(false);
        var exact = matches.Where(a => IsExactMatch(a, query)).ToList();
        var chosen = exact.Count == 1 ? exact[0] : matches.Count == 1 ? matches[0] : null;

        if (chosen is not null)
        {
            var policy = await policies.GetPolicyForAsync(chosen, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            return CommandReply.WithCard(StatusCard.Build(chosen, policy, PolicyEvaluator.Evaluate(chosen, policy, now), now));
        }

        return matches.Count == 0
            ? CommandReply.WithText($"No app matches '{CardText.Literal(query, 80)}'. Try the exact display name or the appId.")
            : CommandReply.WithCard(AppChoicesCard.Build(query, exact.Count > 1 ? exact : matches));
    }

    private static bool IsExactMatch(App app, string query) =>
        string.Equals(app.AppId, query, StringComparison.OrdinalIgnoreCase)
        || string.Equals(app.ObjectId, query, StringComparison.OrdinalIgnoreCase)
        || string.Equals(app.DisplayName, query, StringComparison.OrdinalIgnoreCase);
}

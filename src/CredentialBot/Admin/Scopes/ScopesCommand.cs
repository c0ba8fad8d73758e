using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Scopes;

/// <summary>
/// <c>scopes</c> (global admins only): every admin scope, from settings (read-only) and made in Teams, with Add; then
/// <c>scopes &lt;name&gt;</c> shows one, with Edit and Remove for those made in Teams.
/// </summary>
public sealed class ScopesCommand(AdminScopeResolver scopes, AdminScopeStore stored, IOptions<CardOptions> cards) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Scopes, $"{CommandNames.Scopes} [*name*]", "Global admins: the admin scopes (who administers which apps); add, edit or remove them.", AdminOnly: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = scopes.FromSettings();
        var saved = await stored.ListAsync(cancellationToken);
        var name = request.Arguments.Trim();
        if (name.Length == 0)
        {
            return CommandReply.WithCard(ScopeCards.List(settings, saved, cards.Value.Buttons));
        }

        if (settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } configured)
        {
            return CommandReply.WithCard(ScopeCards.Show(configured, null, cards.Value.Buttons));
        }

        return saved.FirstOrDefault(s => string.Equals(s.Scope.Name, name, StringComparison.OrdinalIgnoreCase)) is { } made
            ? CommandReply.WithCard(ScopeCards.Show(made.Scope, made, cards.Value.Buttons))
            : CommandReply.WithText($"There is no admin scope named '{CardText.Literal(name, 60)}'. Scopes: {string.Join(", ", settings.Select(s => s.Name).Concat(saved.Select(s => s.Scope.Name)).DefaultIfEmpty("none"))}.");
    }
}

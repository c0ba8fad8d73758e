using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Scopes;

/// <summary>Cards of admin-scope management (global admins): the list, one scope, the editor and the remove confirm.</summary>
public static class ScopeCards
{
    /// <summary>The dialog's <c>app</c> slot names no App here (the scope's name is the dialog's subject).</summary>
    public const string DialogApp = "scopes";

    public const string ModeRemove = "remove";

    private const string FromSettings = "Settings (read-only here)";

    public static AdaptiveCard List(IReadOnlyList<AdminScope> settings, IReadOnlyList<StoredAdminScope> stored, DialogButtons buttons)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stored);
        var shadowed = stored.Where(s => settings.Any(c => string.Equals(c.Name, s.Scope.Name, StringComparison.OrdinalIgnoreCase))).ToList();
        var count = settings.Count + stored.Count;
        var body = new List<CardElement>
        {
            CardParts.Heading($"{count} admin {(count == 1 ? "scope" : "scopes")}"),
            CardParts.Text("A scoped admin does admin work on the apps of their scope only. Scopes from settings (AdminScopes:Scopes) are changed there; those made here are changed here. Both apply."),
        };
        if (count > 0)
        {
            body.Add(CardParts.Table(
                ["Scope", "Apps", "Where"],
                [
                    .. settings.Select(s => Row(s, FromSettings)),
                    .. stored.Select(s => Row(s.Scope, shadowed.Contains(s) ? "Teams, ignored: settings use this name" : "Teams")),
                ],
                [.. settings.Concat(stored.Select(s => s.Scope)).Select(s => $"{CommandNames.Scopes} {s.Name}")]));
            body.Add(CardParts.Subtle("Select a scope to see who administers it."));
        }

        return CardParts.Card(body, [CardParts.OpenDialog("Add a scope", DialogNames.Scope, DialogApp, buttons: buttons)]);
    }

    /// <summary>One scope; Edit and Remove only for a scope made in Teams (<paramref name="stored"/>).</summary>
    public static AdaptiveCard Show(AdminScope scope, StoredAdminScope? stored, DialogButtons buttons, string? banner = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var body = new List<CardElement>();
        if (banner is not null)
        {
            body.Add(CardParts.Text(banner, Urgency.Healthy));
        }

        body.Add(CardParts.Heading($"Admin scope {CardText.Literal(scope.Name, 60)}"));
        body.Add(CardParts.Facts(
            ("People", scope.PersonIds.Count == 0 ? "none" : CardText.Literal(string.Join(", ", scope.PersonIds), 400)),
            ("Groups", scope.GroupIds.Count == 0 ? "none" : CardText.Literal(string.Join(", ", scope.GroupIds), 400)),
            ("Apps", CardText.Literal(string.Join(", ", scope.Apps), 400)),
            ("Where", stored is null ? $"{FromSettings}: change it in AdminScopes:Scopes" : $"Teams, saved by {CardText.Literal(stored.UpdatedBy ?? "an admin", 60)} at {stored.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC")));
        return stored is null
            ? CardParts.Card(body)
            : CardParts.Card(body,
            [
                CardParts.OpenDialog("Edit", DialogNames.Scope, DialogApp, scope.Name, buttons: buttons),
                CardParts.OpenDialog("Remove", DialogNames.Scope, DialogApp, scope.Name, ModeRemove, buttons),
            ]);
    }

    /// <summary>The editor, filled with <paramref name="form"/>; <paramref name="replacing"/> is the scope's saved name (null: a new scope).</summary>
    public static AdaptiveCard Edit(ScopeForm form, string? replacing, string confirmId, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        var body = new List<CardElement> { CardParts.Heading(replacing is null ? "Add an admin scope" : $"Edit admin scope {CardText.Literal(replacing, 60)}") };
        body.AddRange(CardParts.Problems(problems));
        body.AddRange(
        [
            new InputText { Id = ScopeForm.NameInput, Label = "Name", Value = form.Name, MaxLength = 60 },
            new InputText { Id = ScopeForm.PeopleInput, Label = "People: Entra object ids, one a line or comma-separated", Value = form.People, IsMultiline = true, MaxLength = 4000 },
            new InputText { Id = ScopeForm.GroupsInput, Label = "Groups: object ids (members count transitively), at most 20", Value = form.Groups, IsMultiline = true, MaxLength = 2000 },
            new InputText { Id = ScopeForm.AppsInput, Label = "Apps: kind:Application, name:Pay*, tag:finance or app:ID, one a line or comma-separated", Value = form.Apps, IsMultiline = true, MaxLength = 4000 },
        ]);
        return CardParts.Card(body, [CardParts.SubmitDialog("Save scope", new DialogData(null, DialogNames.Scope, DialogApp, replacing, Confirm: confirmId), "positive")]);
    }

    public static AdaptiveCard ConfirmRemove(AdminScope scope, string confirmId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return CardParts.Card(
            [
                CardParts.Heading($"Remove admin scope {CardText.Literal(scope.Name, 60)}?"),
                CardParts.Text($"Its people lose admin work on {CardText.Literal(string.Join(", ", scope.Apps), 300)} unless another scope gives it to them.", Urgency.Warning),
            ],
            [CardParts.SubmitDialog("Remove scope", new DialogData(null, DialogNames.Scope, DialogApp, scope.Name, ModeRemove, Confirm: confirmId), "destructive")]);
    }

    private static CardCell[] Row(AdminScope scope, string where) =>
        [new(CardText.Literal(scope.Name, 60)), new(CardText.Literal(string.Join(", ", scope.Apps), 200)), new(where)];
}

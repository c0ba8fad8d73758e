using CredentialBot.Shared.Access;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Scopes;

/// <summary>
/// The admin-scope editor (global admins only): add, edit or remove a scope made in Teams. Scopes from settings are
/// not the dialog's: they stay as infrastructure as code wrote them, and their names cannot be taken. Every field is
/// checked (each bad selector named), every refusal is audited, and a save or removal is one-shot: the form's confirm id
/// is consumed in the change's transaction, with the change and its audit event.
/// </summary>
public sealed class ScopeDialog(AdminScopeResolver scopes, AdminScopeStore stored, AuditTrail audit, IOptions<CardOptions> cards, TimeProvider time) : IDialog
{
    public const string GlobalAdminsOnly = "Only global CredentialBot admins manage admin scopes.";

    public static string Name => DialogNames.Scope;

    /// <summary>A scope is not an App: the data's <c>app</c> slot holds <see cref="ScopeCards.DialogApp"/>.</summary>
    public static bool ActsOnAnApp => false;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Who.IsAdmin)
        {
            await audit.RefusedAsync(request.Who, null, AuditOperation.EditAdminScope, AdminGate.NotAnAdmin, cancellationToken);
            return DialogAnswer.Close(GlobalAdminsOnly);
        }

        if (request.Data.Subject is not { } name)
        {
            return DialogAnswer.Show("Add an admin scope", ScopeCards.Edit(ScopeForm.Empty, null, CardParts.NewConfirmId()));
        }

        if (await FindAsync(name, cancellationToken) is not { } scope)
        {
            return DialogAnswer.Close(WhyNotEditable(name));
        }

        return request.Data.Mode == ScopeCards.ModeRemove
            ? DialogAnswer.Show("Remove admin scope", ScopeCards.ConfirmRemove(scope.Scope, CardParts.NewConfirmId()))
            : DialogAnswer.Show("Edit admin scope", ScopeCards.Edit(ScopeForm.Of(scope.Scope), scope.Scope.Name, CardParts.NewConfirmId()));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (!who.IsAdmin)
        {
            await audit.RefusedAsync(who, null, AuditOperation.EditAdminScope, AdminGate.NotAnAdmin, cancellationToken);
            return DialogAnswer.Close($"{GlobalAdminsOnly} Nothing was changed.");
        }

        var replacing = request.Data.Subject;
        if (replacing is not null && await FindAsync(replacing, cancellationToken) is null)
        {
            var why = WhyNotEditable(replacing);
            await audit.RefusedAsync(who, null, AuditOperation.EditAdminScope, why, cancellationToken);
            return DialogAnswer.Close($"{why} Nothing was changed.");
        }

        return request.Data.Mode == ScopeCards.ModeRemove && replacing is not null
            ? await RemoveAsync(request, replacing, cancellationToken)
            : await SaveAsync(request, replacing, cancellationToken);
    }

    private async Task<DialogAnswer> SaveAsync(DialogRequest request, string? replacing, CancellationToken cancellationToken)
    {
        var who = request.Who;
        var form = ScopeForm.Read(request);
        var problems = new List<string>();
        var scope = form.ToScope(problems);
        if (scope is not null)
        {
            if (scopes.FromSettings().Any(s => string.Equals(s.Name, scope.Name, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"\"{scope.Name}\" is the name of a scope in settings (AdminScopes:Scopes); choose another name.");
            }
            else if (!string.Equals(scope.Name, replacing, StringComparison.OrdinalIgnoreCase) && await FindAsync(scope.Name, cancellationToken) is not null)
            {
                problems.Add($"A scope named \"{scope.Name}\" already exists; choose another name or edit that one.");
            }
        }

        if (scope is null || problems.Count > 0)
        {
            await audit.RefusedAsync(who, null, AuditOperation.EditAdminScope, $"{replacing ?? "New scope"}: {string.Join(" ", problems)}", cancellationToken);
            return DialogAnswer.Show(replacing is null ? "Add an admin scope" : "Edit admin scope", ScopeCards.Edit(form, replacing, request.Data.Confirm ?? CardParts.NewConfirmId(), problems));
        }

        if (await audit.ConfirmOnceAsync(who, null, AuditOperation.EditAdminScope, request.Data.Confirm, cancellationToken) is { } again)
        {
            return DialogAnswer.Close(again);
        }

        if (!await stored.SaveAsync(scope, replacing, who.DisplayName, time.GetUtcNow(), cancellationToken))
        {
            // Someone else took the name or removed the scope since the checks above: nothing is saved.
            await audit.RefusedAsync(who, null, AuditOperation.EditAdminScope, $"{scope.Name}: changed by someone else meanwhile", cancellationToken);
            return DialogAnswer.Close("Another admin changed the scopes meanwhile; nothing was saved. Open the scopes again.");
        }

        var what = replacing is null ? "Added" : string.Equals(replacing, scope.Name, StringComparison.Ordinal) ? "Changed" : $"Changed (was {replacing})";
        await audit.RecordAsync(who, null, AuditOperation.EditAdminScope, AuditOutcome.Succeeded, $"{what} scope {scope.Name}: people {Join(scope.PersonIds)}; groups {Join(scope.GroupIds)}; apps {Join(scope.Apps)}", cancellationToken);
        var saved = await FindAsync(scope.Name, cancellationToken);
        return DialogAnswer.Show("Admin scope saved", ScopeCards.Show(scope, saved, cards.Value.Buttons, $"Saved by {CardText.Literal(who.DisplayName ?? "an admin", 60)}."));
    }

    private async Task<DialogAnswer> RemoveAsync(DialogRequest request, string name, CancellationToken cancellationToken)
    {
        var who = request.Who;
        if (await audit.ConfirmOnceAsync(who, null, AuditOperation.EditAdminScope, request.Data.Confirm, cancellationToken) is { } again)
        {
            return DialogAnswer.Close(again);
        }

        if (!await stored.RemoveAsync(name, cancellationToken))
        {
            await audit.RefusedAsync(who, null, AuditOperation.EditAdminScope, $"{name}: removed by someone else meanwhile", cancellationToken);
            return DialogAnswer.Close("That scope was removed meanwhile.");
        }

        await audit.RecordAsync(who, null, AuditOperation.EditAdminScope, AuditOutcome.Succeeded, $"Removed scope {name}", cancellationToken);
        return DialogAnswer.Close($"Admin scope {CardText.Literal(name, 60)} was removed.");
    }

    private async Task<StoredAdminScope?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await stored.ListAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Scope.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    private string WhyNotEditable(string name) =>
        scopes.FromSettings().Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ? $"Scope \"{CardText.Literal(name, 60)}\" comes from settings (AdminScopes:Scopes); change it there."
            : $"There is no admin scope named \"{CardText.Literal(name, 60)}\" any more.";

    private static string Join(IEnumerable<object> items) => items.Any() ? string.Join(", ", items) : "none";
}

using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// Runs one dialog step, wherever it comes from (a Teams dialog, a dialog shown inside a card, a dialog button a client
/// posted as a message): finds the dialog its data names and opens or submits it in the interaction pipeline. Data
/// that asks to <see cref="DialogData.Open"/> another dialog opens it even on submit. What every dialog would check
/// first is checked here: a submit (which changes something) needs a person Teams identified, and a dialog that acts
/// on an App gets it from the store or is closed saying it is gone.
/// </summary>
public sealed class DialogRunner(DialogTable dialogs, InteractionPipeline pipeline, AppCatalog catalog, IServiceProvider services)
{
    public async Task<DialogStepResult> RunAsync(TurnContext turn, DialogData data, bool submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsWellFormed())
        {
            return new DialogStepResult(null, "The dialog request has no readable data.");
        }

        if (dialogs.Find(data.Dialog) is not { } registration)
        {
            return new DialogStepResult(null, $"There is no dialog named '{CardText.Literal(data.Dialog, 40)}'.");
        }

        var dialog = (IDialog)services.GetRequiredService(registration.DialogType);
        var submitting = submit && data.Open != true;
        var answer = await pipeline.RunAsync(turn.Actor, async (who, ct) =>
        {
            if (submitting && who.ObjectId.Length == 0)
            {
                return DialogAnswer.Close("Teams did not say who you are, so nothing was changed.");
            }

            App? app = null;
            if (registration.ActsOnAnApp && (app = await catalog.GetAsync(data.App, ct)) is null)
            {
                return DialogAnswer.Close(submitting ? "That app is no longer in the catalog; nothing was changed." : "That app is no longer in the catalog.");
            }

            var request = new DialogRequest(who, data, turn, app);
            return submitting ? await dialog.SubmitAsync(request, ct) : await dialog.OpenAsync(request, ct);
        }, cancellationToken);
        return new DialogStepResult(answer, null);
    }
}

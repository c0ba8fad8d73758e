using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// Runs one dialog step, wherever it comes from (a Teams dialog, a dialog shown inside a card, a dialog button a client
/// posted as a message): finds the dialog its data names and opens or submits it in the interaction pipeline. Data
/// that asks to <see cref="DialogData.Open"/> another dialog opens it even on submit.
/// </summary>
public sealed class DialogRunner(DialogTable dialogs, InteractionPipeline pipeline, IServiceProvider services)
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
        var answer = await pipeline.RunAsync(turn.Actor, (who, ct) =>
        {
            var request = new DialogRequest(who, data, turn);
            return submit && data.Open != true ? dialog.SubmitAsync(request, ct) : dialog.OpenAsync(request, ct);
        }, cancellationToken);
        return new DialogStepResult(answer, null);
    }
}

using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// A Teams dialog: <c>task/fetch</c> opens the dialog a card button names, <c>task/submit</c> submits it (or opens
/// another one, when its data asks to). A name no dialog has is 400.
/// </summary>
internal sealed class TaskModuleDialogRoute(DialogRunner runner) : IInvokeHandler<DialogData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var submit = context.Activity.Name == InvokeNames.TaskSubmit;
        var step = await runner.RunAsync(context.Turn, context.Data, submit, cancellationToken);
        return step.Answer is { } answer ? InvokeResponse.Ok(answer.ToTaskModule()) : InvokeResponse.BadRequest("BadRequest", step.Error!);
    }
}

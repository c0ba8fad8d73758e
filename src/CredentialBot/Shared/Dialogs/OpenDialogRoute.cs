using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Shared.Dialogs;

/// <summary><c>task/fetch</c>: opens the dialog a card button names; a name no dialog has is 400.</summary>
internal sealed class OpenDialogRoute(DialogRunner runner) : IInvokeHandler<DialogData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = await runner.RunAsync(context.Turn, context.Data, submit: false, cancellationToken);
        return step.Answer is { } answer ? InvokeResponse.Ok(answer.ToTaskModule()) : InvokeResponse.BadRequest("BadRequest", step.Error!);
    }
}

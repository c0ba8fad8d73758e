using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Shared.Dialogs;

/// <summary><c>task/submit</c>: submits the dialog its data names (or opens another one, when it asks to).</summary>
internal sealed class SubmitDialogRoute(DialogRunner runner) : IInvokeHandler<DialogData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = await runner.RunAsync(context.Turn, context.Data, submit: true, cancellationToken);
        return step.Answer is { } answer ? InvokeResponse.Ok(answer.ToTaskModule()) : InvokeResponse.BadRequest("BadRequest", step.Error!);
    }
}

using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Shared.Dialogs;

/// <summary>A dialog step submitted from a dialog shown inside a card (see <see cref="InlineDialogs"/>).</summary>
internal sealed class InlineDialogRoute(DialogRunner runner) : IInvokeHandler<DialogData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = await runner.RunAsync(context.Turn, context.Data, submit: true, cancellationToken);
        return InvokeResponse.Ok(step.Answer is { } answer
            ? AdaptiveCardInvokeResponse.Card(answer.ToInlineCard())
            : AdaptiveCardInvokeResponse.Error(400, "BadRequest", step.Error!));
    }
}

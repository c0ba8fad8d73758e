using System.Text.Json;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Handlers;

namespace CredentialBot.Dialogs;

/// <summary>
/// A dialog opened from a card (<c>task/fetch</c>) and submitted (<c>task/submit</c>). <see cref="Data"/> and
/// <see cref="Inputs"/> are untrusted; <see cref="Actor"/> is the authenticated sender.
/// </summary>
public sealed record DialogRequest(Actor Actor, DialogData Data, JsonElement Inputs, TurnContext Turn)
{
    /// <summary>A submitted input's text, trimmed; null when absent or not a string.</summary>
    public string? Input(string id) =>
        Inputs.ValueKind == JsonValueKind.Object && Inputs.TryGetProperty(id, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()?.Trim()
            : null;

    /// <summary>The card message the dialog was opened from: the invoke's replyToId, or the one carried through the dialog.</summary>
    public string? OriginCard => Turn.Activity.ReplyToId is { Length: > 0 } replyTo ? replyTo : Data.Card;
}

/// <summary>One dialog, found by name through <see cref="DialogTable"/>.</summary>
public interface IDialog
{
    string Name { get; }

    Task<TaskModuleResponse> OpenAsync(DialogRequest request, CancellationToken cancellationToken);

    Task<TaskModuleResponse> SubmitAsync(DialogRequest request, CancellationToken cancellationToken);
}

/// <summary>The routing table for dialogs; a duplicate name stops start-up.</summary>
public sealed class DialogTable
{
    private readonly Dictionary<string, IDialog> _byName = new(StringComparer.Ordinal);

    public DialogTable(IEnumerable<IDialog> dialogs)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        foreach (var dialog in dialogs)
        {
            if (!_byName.TryAdd(dialog.Name, dialog))
            {
                throw new InvalidOperationException($"Two dialogs are registered with the name '{dialog.Name}'.");
            }
        }
    }

    public IDialog? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Names of the dialogs, used by the cards that open them.</summary>
public static class DialogNames
{
    public const string Rotate = "rotate";
    public const string Elevate = "elevate";
    public const string Owner = "owner";
}

/// <summary><c>task/fetch</c>: opens the dialog a card button names.</summary>
public sealed class TaskFetchHandler(DialogTable dialogs) : IActivityHandler
{
    public RouteKey Key => RouteKey.ForInvoke(InvokeNames.TaskFetch);

    public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) =>
        DialogInvoke.HandleAsync(turn, dialogs, submit: false, cancellationToken);
}

/// <summary><c>task/submit</c>: submits the dialog its data names (or opens another one, when it asks to).</summary>
public sealed class TaskSubmitHandler(DialogTable dialogs) : IActivityHandler
{
    public RouteKey Key => RouteKey.ForInvoke(InvokeNames.TaskSubmit);

    public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) =>
        DialogInvoke.HandleAsync(turn, dialogs, submit: true, cancellationToken);
}

internal static class DialogInvoke
{
    public static async Task<InvokeResponse> HandleAsync(TurnContext turn, DialogTable dialogs, bool submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("data", out var inputs)
            || inputs.ValueKind != JsonValueKind.Object
            || Read(inputs) is not { } data)
        {
            return InvokeResponse.BadRequest("BadRequest", "The dialog request has no readable data.");
        }

        if (dialogs.Find(data.Dialog) is not { } dialog)
        {
            return InvokeResponse.BadRequest("BadRequest", $"There is no dialog named '{CardText.Literal(data.Dialog, 40)}'.");
        }

        var request = new DialogRequest(MessageHandler.ActorOf(turn.Activity), data, inputs, turn);
        var response = submit && data.Open != true
            ? await dialog.SubmitAsync(request, cancellationToken).ConfigureAwait(false)
            : await dialog.OpenAsync(request, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Ok(response);
    }

    private static DialogData? Read(JsonElement data)
    {
        try
        {
            return data.Deserialize(CardsJsonContext.Default.DialogData) is { Dialog.Length: > 0 and <= 40, App.Length: > 0 and <= 128 } parsed
                && parsed.Key is null or { Length: <= 128 } && parsed.Mode is null or { Length: <= 20 } && parsed.Card is null or { Length: <= 256 }
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

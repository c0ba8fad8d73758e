using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>Invoke names Teams sends.</summary>
public static class InvokeNames
{
    /// <summary>Action.Execute (Universal Actions), routed by verb.</summary>
    public const string AdaptiveCardAction = "adaptiveCard/action";

    /// <summary>Open a dialog from a bot card.</summary>
    public const string TaskFetch = "task/fetch";

    /// <summary>A dialog was submitted.</summary>
    public const string TaskSubmit = "task/submit";

    /// <summary>Message-extension search.</summary>
    public const string MessagingExtensionQuery = "composeExtension/query";

    /// <summary>A message-extension result was chosen.</summary>
    public const string MessagingExtensionSelectItem = "composeExtension/selectItem";

    /// <summary>Link unfurling.</summary>
    public const string MessagingExtensionQueryLink = "composeExtension/queryLink";

    /// <summary>Message-extension action command: open its dialog.</summary>
    public const string MessagingExtensionFetchTask = "composeExtension/fetchTask";

    /// <summary>Message-extension action command: dialog submitted.</summary>
    public const string MessagingExtensionSubmitAction = "composeExtension/submitAction";
}

/// <summary>
/// What a handler answers. On the wire the HTTP status is <see cref="Status"/> and the body is <see cref="Body"/>
/// as JSON (the <c>{status, body}</c> pair is never sent as such). Non-invoke activities always get 200.
/// </summary>
public sealed record InvokeResponse(int Status, object? Body = null)
{
    /// <summary>200 without a body.</summary>
    public static InvokeResponse Ok() => new(200);

    /// <summary>200 with a body.</summary>
    public static InvokeResponse Ok(object body) => new(200, body);

    /// <summary>501: the invoke is not handled.</summary>
    public static InvokeResponse NotImplemented() => new(501);

    /// <summary>400 with an error body.</summary>
    public static InvokeResponse BadRequest(string code, string message) => new(400, new InvokeError(code, message));
}

/// <summary>A generic error body.</summary>
public sealed record InvokeError([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
public sealed record AdaptiveCardInvokeValue(
    [property: JsonPropertyName("action")] AdaptiveCardInvokeAction? Action,
    [property: JsonPropertyName("trigger")] string? Trigger);

/// <summary>The action of an <c>adaptiveCard/action</c> invoke. <see cref="Data"/> is untrusted input.</summary>
public sealed record AdaptiveCardInvokeAction(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("verb")] string? Verb,
    [property: JsonPropertyName("data")] JsonElement? Data);

/// <summary>
/// Body of an <c>adaptiveCard/action</c> response (sent with HTTP 200): a card that replaces the clicked one, a
/// message, or an error.
/// </summary>
public sealed record AdaptiveCardInvokeResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonElement? Value)
{
    /// <summary>Replace the card.</summary>
    public static AdaptiveCardInvokeResponse Card(AdaptiveCard card) =>
        new(200, "application/vnd.microsoft.card.adaptive", JsonSerializer.SerializeToElement(card, BotJsonContext.Default.AdaptiveCard));

    /// <summary>Show a message.</summary>
    public static AdaptiveCardInvokeResponse Message(string text) =>
        new(200, "application/vnd.microsoft.activity.message", JsonSerializer.SerializeToElement(text, BotJsonContext.Default.String));

    /// <summary>An error Teams shows to the user.</summary>
    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, "application/vnd.microsoft.error", JsonSerializer.SerializeToElement(new InvokeError(code, message), BotJsonContext.Default.InvokeError));
}

/// <summary>The <c>value</c> of <c>task/fetch</c> and <c>task/submit</c>.</summary>
public sealed record TaskModuleRequest(
    [property: JsonPropertyName("data")] JsonElement? Data,
    [property: JsonPropertyName("context")] JsonElement? Context);

/// <summary>A dialog answer: <c>continue</c> with a card, or <c>message</c>.</summary>
public sealed record TaskModuleResponse([property: JsonPropertyName("task")] TaskModuleResponseBody Task)
{
    /// <summary>Open (or continue) a dialog with a card.</summary>
    public static TaskModuleResponse Continue(string title, AdaptiveCard card, string height = "medium", string width = "medium") =>
        new(new TaskModuleResponseBody("continue", JsonSerializer.SerializeToElement(
            new TaskModuleTaskInfo(title, height, width, Schema.Attachment.ForCard(card)), BotJsonContext.Default.TaskModuleTaskInfo)));

    /// <summary>Close the dialog with a message.</summary>
    public static TaskModuleResponse Message(string text) =>
        new(new TaskModuleResponseBody("message", JsonSerializer.SerializeToElement(text, BotJsonContext.Default.String)));
}

/// <summary>The <c>task</c> object of a dialog answer.</summary>
public sealed record TaskModuleResponseBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonElement Value);

/// <summary>Dialog settings and content.</summary>
public sealed record TaskModuleTaskInfo(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("height")] string Height,
    [property: JsonPropertyName("width")] string Width,
    [property: JsonPropertyName("card")] Schema.Attachment Card);

/// <summary>The <c>value</c> of a message-extension query.</summary>
public sealed record MessagingExtensionQuery(
    [property: JsonPropertyName("commandId")] string? CommandId,
    [property: JsonPropertyName("parameters")] IReadOnlyList<MessagingExtensionParameter>? Parameters,
    [property: JsonPropertyName("queryOptions")] MessagingExtensionQueryOptions? QueryOptions);

/// <summary>A message-extension parameter.</summary>
public sealed record MessagingExtensionParameter(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("value")] JsonElement? Value);

/// <summary>Paging of a message-extension query.</summary>
public sealed record MessagingExtensionQueryOptions(
    [property: JsonPropertyName("skip")] int? Skip,
    [property: JsonPropertyName("count")] int? Count);

/// <summary>Link unfurling request.</summary>
public sealed record AppBasedLinkQuery([property: JsonPropertyName("url")] string? Url);

/// <summary>Answer to a message-extension query, select or link unfurl: <c>{"composeExtension": {…}}</c>.</summary>
public sealed record MessagingExtensionResponse([property: JsonPropertyName("composeExtension")] MessagingExtensionResult ComposeExtension)
{
    /// <summary>A list of results.</summary>
    public static MessagingExtensionResponse Results(IReadOnlyList<MessagingExtensionAttachment> attachments) =>
        new(new MessagingExtensionResult("result", "list", attachments, null));

    /// <summary>A plain message instead of results (no formatting).</summary>
    public static MessagingExtensionResponse Message(string text) => new(new MessagingExtensionResult("message", null, null, text));
}

/// <summary>The <c>composeExtension</c> object.</summary>
public sealed record MessagingExtensionResult(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("attachmentLayout")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttachmentLayout,
    [property: JsonPropertyName("attachments")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MessagingExtensionAttachment>? Attachments,
    [property: JsonPropertyName("text")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);

/// <summary>One result: the card inserted when chosen, and the preview shown in the result list.</summary>
public sealed record MessagingExtensionAttachment(
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("content")] JsonElement Content,
    [property: JsonPropertyName("preview")] MessagingExtensionPreview Preview)
{
    /// <summary>An Adaptive Card result with its thumbnail preview.</summary>
    public static MessagingExtensionAttachment ForCard(AdaptiveCard card, ThumbnailCard preview) =>
        new(Schema.CardContentTypes.AdaptiveCard, JsonSerializer.SerializeToElement(card, BotJsonContext.Default.AdaptiveCard), new MessagingExtensionPreview(preview));
}

/// <summary>A result's preview, a thumbnail card.</summary>
public sealed record MessagingExtensionPreview(
    [property: JsonPropertyName("content")] ThumbnailCard Content,
    [property: JsonPropertyName("contentType")] string ContentType = "application/vnd.microsoft.card.thumbnail");

/// <summary>A thumbnail card: title and short text for result lists.</summary>
public sealed record ThumbnailCard(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("subtitle")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subtitle,
    [property: JsonPropertyName("text")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);

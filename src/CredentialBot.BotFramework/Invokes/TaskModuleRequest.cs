using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The <c>value</c> of <c>task/fetch</c> and <c>task/submit</c>; the router reads <see cref="Data"/> into the route's type.</summary>
/// <param name="Data">The button's data (and, on submit, the dialog's inputs).</param>
/// <param name="Context">Client context such as the theme.</param>
public sealed record TaskModuleRequest(
    [property: JsonPropertyName("data")] JsonElement? Data,
    [property: JsonPropertyName("context")] JsonElement? Context);

using System.Text.Json.Serialization;

namespace CredentialBot.Cards;

/// <summary>Teams' <c>msteams</c> imBack payload for Action.Submit: the value is posted as the user's message text.</summary>
public sealed record ImBackData([property: JsonPropertyName("msteams")] ImBackValue MsTeams);

/// <summary>The <c>msteams</c> object of an imBack submit.</summary>
public sealed record ImBackValue([property: JsonPropertyName("value")] string Value)
{
    [JsonPropertyName("type")]
    public string Type => "imBack";
}

/// <summary>Source-generated JSON for the host's own card data records.</summary>
[JsonSerializable(typeof(ImBackData))]
internal sealed partial class CardsJsonContext : JsonSerializerContext;

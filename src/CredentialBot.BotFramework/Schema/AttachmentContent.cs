using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;

namespace CredentialBot.BotFramework.Schema;

/// <summary>
/// An attachment's <c>content</c>: JSON as it arrived in an activity, or an Adaptive Card the bot sends. A card is
/// written straight into the activity's JSON when the activity is serialized. It used to become a
/// <see cref="JsonElement"/> first, parsed and copied, then written out again: the card's path was 7 % of what the host
/// allocated in P5, and 4.7 % without the parse and the copy (docs/benchmarks.md, session 31).
/// </summary>
[JsonConverter(typeof(Converter))]
public sealed class AttachmentContent
{
    private readonly AdaptiveCard? _card;
    private JsonElement? _json;

    private AttachmentContent(JsonElement? json, AdaptiveCard? card)
    {
        _json = json;
        _card = card;
    }

    /// <summary>The content as JSON (for a card, made on first use).</summary>
    public JsonElement Json => _json ??= JsonSerializer.SerializeToElement(_card, BotJsonContext.Default.AdaptiveCard);

    /// <summary>Content received as JSON.</summary>
    public static AttachmentContent Of(JsonElement json) => new(json.Clone(), null);

    /// <summary>An Adaptive Card to send.</summary>
    public static AttachmentContent Of(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(null, card);
    }

    internal sealed class Converter : JsonConverter<AttachmentContent>
    {
        public override AttachmentContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonElement.ParseValue(ref reader), null);

        public override void Write(Utf8JsonWriter writer, AttachmentContent value, JsonSerializerOptions options)
        {
            if (value._card is { } card)
            {
                JsonSerializer.Serialize(writer, card, BotJsonContext.Default.AdaptiveCard);
            }
            else
            {
                value.Json.WriteTo(writer);
            }
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CredentialBot.BotFramework.Schema;

/// <summary>
/// Reads every <see cref="IReadOnlyList{T}"/> of a reference type on the wire with its <c>null</c> entries dropped.
/// A <c>membersAdded</c>, <c>entities</c> or <c>attachments</c> array holding <c>null</c> is not an activity any
/// client means to send, and code that walks such a list must never meet a null it did not expect; deciding
/// this once, where JSON becomes records, keeps every handler free of the check. Writing is unchanged.
/// </summary>
internal sealed class SkipNullEntriesConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsGenericType
            && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            && !typeToConvert.GetGenericArguments()[0].IsValueType;
    }

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        ArgumentNullException.ThrowIfNull(options);
        var element = typeToConvert.GetGenericArguments()[0];
        return (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(element), options.GetTypeInfo(element))!;
    }

    private sealed class ListConverter<T>(JsonTypeInfo element) : JsonConverter<IReadOnlyList<T>>
        where T : class
    {
        private readonly JsonTypeInfo<T> _element = (JsonTypeInfo<T>)element;

        public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"Expected an array, found {reader.TokenType}.");
            }

            var items = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Null && JsonSerializer.Deserialize(ref reader, _element) is { } item)
                {
                    items.Add(item);
                }
            }

            return items;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                if (item is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, item, _element);
                }
            }

            writer.WriteEndArray();
        }
    }
}

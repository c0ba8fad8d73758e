using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CredentialBot.BotFramework.Schema;

/// <summary>Reading an activity's <c>value</c> (an Action.Submit's data), or an attachment's content, into a typed record.</summary>
public static class ActivityValueExtensions
{
    /// <summary>
    /// The activity's value as <typeparamref name="T"/>; null when there is none, it is not a JSON object, or it does not
    /// have that shape. The result is still untrusted input.
    /// </summary>
    public static T? ReadValue<T>(this Activity activity, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Read(activity.Value, type);
    }

    /// <summary>The attachment's content as <typeparamref name="T"/>; null when it is not a JSON object of that shape.</summary>
    public static T? ReadContent<T>(this Attachment attachment, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return Read(attachment.Content?.Json, type);
    }

    private static T? Read<T>(JsonElement? json, JsonTypeInfo<T> type)
        where T : class
    {
        if (json is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

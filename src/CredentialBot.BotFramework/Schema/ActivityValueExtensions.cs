using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CredentialBot.BotFramework.Schema;

/// <summary>Reading an activity's <c>value</c> (an Action.Submit's data) into a typed record.</summary>
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
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
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

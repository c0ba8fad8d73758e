using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>Reads cards the way a person does: by the titles of their buttons and the text they show.</summary>
public static class CardReading
{
    /// <summary>The data of the button titled <paramref name="title"/> anywhere in the card (actions, action sets).</summary>
    public static JsonObject ButtonData(JsonElement card, string title) =>
        (JsonObject)JsonNode.Parse(FindButton(card, title)?.GetProperty("data").GetRawText() ?? throw new InvalidOperationException($"No button titled '{title}' in {card}"))!;

    public static bool HasButton(JsonElement card, string title) => FindButton(card, title) is not null;

    /// <summary>The card a dialog answer (task/fetch, task/submit) shows; throws when it closed with a message.</summary>
    public static JsonElement DialogCard(JsonElement answer)
    {
        var task = answer.GetProperty("task");
        return task.GetProperty("type").GetString() == "continue"
            ? task.GetProperty("value").GetProperty("card").GetProperty("content")
            : throw new InvalidOperationException($"The dialog closed: {task}");
    }

    /// <summary>The message a dialog closed with.</summary>
    public static string DialogMessage(JsonElement answer)
    {
        var task = answer.GetProperty("task");
        return task.GetProperty("type").GetString() == "message" ? task.GetProperty("value").GetString()! : throw new InvalidOperationException($"The dialog continued: {task}");
    }

    /// <summary>An input's initial value.</summary>
    public static string? InputValue(JsonElement card, string id) =>
        Walk(card).FirstOrDefault(e => e.TryGetProperty("id", out var i) && i.GetString() == id && e.TryGetProperty("value", out _)) is { ValueKind: JsonValueKind.Object } input
            ? input.GetProperty("value").GetString()
            : null;

    /// <summary>Every string in the card (texts, titles, values; not element types or styling), unescaped, one per line: what a person can read.</summary>
    public static string AllText(JsonElement card) =>
        string.Join('\n', WalkValues(card).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()));

    /// <summary>
    /// A dialog's submit as Teams sends it: the submit button's data with every input's value merged in (the initial
    /// value unless the person changed it).
    /// </summary>
    public static JsonObject Submit(JsonElement dialogCard, string buttonTitle, params (string Id, string Value)[] inputs)
    {
        var data = ButtonData(dialogCard, buttonTitle);
        foreach (var input in Walk(dialogCard).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.StartsWith("Input.", StringComparison.Ordinal)))
        {
            if (input.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                data[input.GetProperty("id").GetString()!] = value.GetString();
            }
        }

        foreach (var (id, value) in inputs)
        {
            data[id] = value;
        }

        return new JsonObject { ["data"] = data };
    }

    private static JsonElement? FindButton(JsonElement card, string title) =>
        Walk(card).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.StartsWith("Action.", StringComparison.Ordinal)
                && e.TryGetProperty("title", out var tt) && tt.GetString() == title)
            .Select(e => (JsonElement?)e).FirstOrDefault();

    private static IEnumerable<JsonElement> WalkValues(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Where(p => p.Name is not ("type" or "style" or "weight" or "size" or "color" or "spacing")).SelectMany(p => WalkValues(p.Value)),
            JsonValueKind.Array => element.EnumerateArray().SelectMany(WalkValues),
            _ => [element],
        };

    private static IEnumerable<JsonElement> Walk(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            foreach (var property in element.EnumerateObject())
            {
                foreach (var inner in Walk(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Walk(item))
                {
                    yield return inner;
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Schema;
using CredentialBot.TestKit.Schemas;

namespace CredentialBot.Tests.Cards;

/// <summary>
/// Compares a card with its golden file in tests/CredentialBot.Tests/Golden. A missing or different file fails;
/// run with UPDATE_GOLDEN=1 to rewrite them, then review the diff. The Node client checks parse every golden
/// card with Microsoft's adaptivecards renderer; here each is also checked against the official 1.5 schema.
/// </summary>
internal static class GoldenCards
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task AssertMatchesAsync(string name, AdaptiveCard card, [CallerFilePath] string callerPath = "")
    {
        var json = JsonSerializer.Serialize(card, BotJsonContext.Default.AdaptiveCard);
        Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{name} is {Encoding.UTF8.GetByteCount(json)} bytes; Teams cards must stay under 28 KB");

        var schemaErrors = await OfficialSchemas.ValidateCardAsync(json);
        Assert.True(schemaErrors.Count == 0, $"{name} breaks the Adaptive Cards 1.5 schema:\n{string.Join("\n", schemaErrors)}");

        // Teams renders card text as markdown with HTML stripped: "<app name>" would silently vanish.
        var stripped = Texts(JsonNode.Parse(json)).FirstOrDefault(t => System.Text.RegularExpressions.Regex.IsMatch(t, "<(?!/?at>)[A-Za-z/][^>]*>"));
        Assert.True(stripped is null, $"{name} has text Teams would strip as HTML: {stripped}");

        var actual = JsonNode.Parse(json)!;
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "..", "Golden", name + ".card.json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual.ToJsonString(Indented) + "\n");
        }

        Assert.True(File.Exists(path), $"No golden file {path}; run the tests with UPDATE_GOLDEN=1 and review it.");
        var expected = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Card '{name}' differs from its golden file.\nActual:\n{actual.ToJsonString(Indented)}");
    }

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var text) ? [text] : Texts(p.Value)),
        JsonArray array => array.SelectMany(Texts),
        _ => [],
    };
}

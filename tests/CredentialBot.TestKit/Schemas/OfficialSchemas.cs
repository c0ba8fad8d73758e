using System.Text.Json.Nodes;
using NJsonSchema;

namespace CredentialBot.TestKit.Schemas;

/// <summary>
/// Microsoft's published JSON schemas (tests/Schemas: Adaptive Cards 1.5, Teams manifest v1.24), so tests can
/// check what the bot emits against the source of truth rather than against our own model.
/// </summary>
public static class OfficialSchemas
{
    private static readonly Lazy<Task<JsonSchema>> AdaptiveCard = new(() => LoadAsync("adaptive-card-1.5.json"));
    private static readonly Lazy<Task<JsonSchema>> TeamsManifest = new(() => LoadAsync("teams-manifest-v1.24.schema.json"));

    /// <summary>
    /// Errors of a card against the Adaptive Cards 1.5 schema; empty when valid. Teams' own <c>msteams</c>
    /// extension properties are removed first: the official schema does not know them.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ValidateCardAsync(string cardJson)
    {
        var card = JsonNode.Parse(cardJson) ?? throw new ArgumentException("The card is empty.", nameof(cardJson));
        RemoveTeamsExtensions(card);
        var schema = await AdaptiveCard.Value.ConfigureAwait(false);
        return [.. schema.Validate(card.ToJsonString()).Select(e => e.ToString())];
    }

    /// <summary>Errors of a manifest against the Teams manifest v1.24 schema; empty when valid.</summary>
    public static async Task<IReadOnlyList<string>> ValidateManifestAsync(string manifestJson)
    {
        var schema = await TeamsManifest.Value.ConfigureAwait(false);
        return [.. schema.Validate(manifestJson).Select(e => e.ToString())];
    }

    private static async Task<JsonSchema> LoadAsync(string file) =>
        await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", file)).ConfigureAwait(false);

    private static void RemoveTeamsExtensions(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("msteams");
                foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
                {
                    RemoveTeamsExtensions(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>().ToList())
                {
                    RemoveTeamsExtensions(child);
                }

                break;
            default:
                break;
        }
    }
}

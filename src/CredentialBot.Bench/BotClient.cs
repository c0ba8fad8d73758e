using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialBot.Bench;

/// <summary>
/// Speaks to the host as Teams does, as a given person: messages and invokes posted to <c>/api/messages</c> (local mode
/// takes loopback callers without a token), replies going to <see cref="BenchConnector"/>. Each operation returns null
/// when the host answered as it should, else a short reason; the callers time them. A message counts only when its
/// reply reached the connector: the host answers 200 to a message whose reply it shed, as Teams must not resend it.
/// </summary>
internal sealed class BotClient(HttpClient http, BenchConnector connector)
{
    private const string TenantId = "bench-tenant";
    private long _sequence;

    /// <summary>"status &lt;App name&gt;": the status card comes back through the connector before the message is answered.</summary>
    public Task<string?> StatusAsync(BenchUser who, CancellationToken cancellationToken) => MessageAsync(who, $"status {who.AppName}", cancellationToken);

    public async Task<string?> MessageAsync(BenchUser who, string text, CancellationToken cancellationToken)
    {
        var message = Activity("message", who, a => a["text"] = text);
        using var response = await PostAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return $"HTTP {(int)response.StatusCode}";
        }

        return connector.TakeReplyTo((string)message["id"]!) ? null : "no reply (shed)";
    }

    /// <summary>
    /// Snooze (7 days, every secret) or Acknowledge (days 0, the secrets that have not expired) on the digest's entry for
    /// the person's App, as the digest's buttons carry them.
    /// </summary>
    public Task<string?> PauseAsync(BenchUser who, string verb, CancellationToken cancellationToken) =>
        ExecuteAsync(who, verb, new JsonObject
        {
            ["app"] = who.AppObjectId,
            ["keys"] = new JsonArray([.. (verb == "snooze" ? who.SecretKeys : who.UnexpiredSecretKeys).Select(k => (JsonNode)k)]),
            ["days"] = verb == "snooze" ? 7 : 0,
            ["digest"] = new JsonArray(who.AppObjectId),
        }, cancellationToken);

    /// <summary>Approve on an approval card: the next elevation request on the person's App that nobody decided yet.</summary>
    public Task<string?> ApproveAsync(BenchUser who, long request, CancellationToken cancellationToken) =>
        ExecuteAsync(who, "approveRequest", new JsonObject { ["request"] = request }, cancellationToken);

    /// <summary>"Rotate now": opens the dialog (task/fetch) and returns its form, or null with the reason it failed.</summary>
    public async Task<(JsonElement? Form, string? Failure)> OpenRotateAsync(BenchUser who, CancellationToken cancellationToken)
    {
        var (status, body) = await InvokeAsync(who, "task/fetch", new JsonObject
        {
            ["data"] = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "rotate", ["app"] = who.AppObjectId },
            ["context"] = new JsonObject { ["theme"] = "default" },
        }, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            return (null, $"HTTP {(int)status}");
        }

        return DialogCard(body) is { } form && FindButton(form, "Create the new secret") is not null
            ? (form, null)
            : (null, "no rotate form: " + Describe(body));
    }

    /// <summary>Submits the form as Teams does (the button's data with every input's value), replacing the oldest secret now.</summary>
    public async Task<string?> SubmitRotateAsync(BenchUser who, JsonElement form, CancellationToken cancellationToken)
    {
        var data = JsonNode.Parse(FindButton(form, "Create the new secret")!.Value.GetProperty("data").GetRawText())!.AsObject();
        foreach (var input in Walk(form).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.StartsWith("Input.", StringComparison.Ordinal)))
        {
            if (input.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                data[input.GetProperty("id").GetString()!] = value.GetString();
            }
        }

        // The secret this person's previous rotation created is the one replaced, removed at once: every rotation but
        // the first gives the janitor one removal, and the App's original secrets (which Snooze names) stay.
        data["replace"] = who.LastNewKey ?? string.Empty;
        data["grace"] = "0";
        var (status, body) = await InvokeAsync(who, "task/submit", new JsonObject { ["data"] = data }, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            return $"HTTP {(int)status}";
        }

        if (DialogCard(body) is not { } shown || !Walk(shown).Any(e => e.TryGetProperty("id", out var id) && id.GetString() == "secretValue"))
        {
            return "no secret shown: " + Describe(body);
        }

        who.LastNewKey = Walk(shown).Where(e => e.TryGetProperty("title", out var t) && t.GetString() == "Key ID" && e.TryGetProperty("value", out _))
            .Select(e => e.GetProperty("value").GetString()).FirstOrDefault();
        return null;
    }

    private async Task<string?> ExecuteAsync(BenchUser who, string verb, JsonObject data, CancellationToken cancellationToken)
    {
        var (status, body) = await InvokeAsync(who, "adaptiveCard/action", new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        }, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            return $"HTTP {(int)status}";
        }

        // A card is the action done and redrawn; a message is a refusal or a failure, said in words.
        return body.TryGetProperty("type", out var type) && type.GetString() == "application/vnd.microsoft.card.adaptive"
            ? null
            : Describe(body);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> InvokeAsync(BenchUser who, string name, JsonObject value, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(Activity("invoke", who, a =>
        {
            a["name"] = name;
            a["value"] = value;
        }), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, CancellationToken cancellationToken)
    {
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");
        return await http.PostAsync(new Uri("api/messages", UriKind.Relative), content, cancellationToken);
    }

    private JsonObject Activity(string type, BenchUser who, Action<JsonObject> extra)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "bench-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["serviceUrl"] = connector.ServiceUrl.ToString(),
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = $"29:{who.ObjectId}", ["name"] = who.Name, ["aadObjectId"] = who.ObjectId },
            ["recipient"] = new JsonObject { ["id"] = "28:bench-bot", ["name"] = "CredentialBot" },
            ["conversation"] = new JsonObject { ["id"] = $"a:bench-{who.ObjectId}", ["conversationType"] = "personal", ["tenantId"] = TenantId },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        };
        extra(activity);
        return activity;
    }

    private static JsonElement? DialogCard(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object
        && answer.TryGetProperty("task", out var task)
        && task.TryGetProperty("type", out var type) && type.GetString() == "continue"
            ? task.GetProperty("value").GetProperty("card").GetProperty("content")
            : null;

    private static JsonElement? FindButton(JsonElement card, string title) =>
        Walk(card).Where(e => e.TryGetProperty("type", out var t) && t.GetString()!.StartsWith("Action.", StringComparison.Ordinal)
                && e.TryGetProperty("title", out var tt) && tt.GetString() == title)
            .Select(e => (JsonElement?)e).FirstOrDefault();

    private static IEnumerable<JsonElement> Walk(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Walk(p.Value)).Prepend(element),
            JsonValueKind.Array => element.EnumerateArray().SelectMany(Walk),
            _ => [],
        };

    /// <summary>What a refusal said, shortened: the first text of its card or message.</summary>
    private static string Describe(JsonElement body)
    {
        var text = body.ValueKind == JsonValueKind.Undefined ? "(empty)" : body.GetRawText();
        var at = text.IndexOf("\"text\":", StringComparison.Ordinal);
        var shown = at >= 0 ? text[at..] : text;
        return shown.Length > 90 ? shown[..90] : shown;
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.TestKit.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The real host in production mode, sent what no Teams client means to send but anyone holding a valid token can:
/// null list entries, bodies that are not activities, activities missing what every Teams activity carries, odd
/// values for every route. Each gets a 2xx or a 4xx with a reason — never a 500 — and the bot keeps serving.
/// </summary>
public sealed class AttackingTheEdge : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheBotAddedToATeam_WithNullEntriesInMembersAdded_GreetsTheTeam()
    {
        var added = _bot.Activity("conversationUpdate", BotHost.Megan, "Megan Bowen", "19:general@thread.tacv2", "channel", a =>
        {
            a["membersAdded"] = new JsonArray([null, new JsonObject { ["id"] = $"28:{BotHost.BotAppId}" }, null]);
            a["membersRemoved"] = new JsonArray([null]);
            a["channelData"]!["eventType"] = "teamMemberAdded";
            a["channelData"]!["team"] = new JsonObject { ["id"] = "19:general@thread.tacv2" };
        });

        using var response = await _bot.PostAsync(added);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
    }

    [Fact]
    public async Task AMessage_WithNullEntitiesAndAttachments_IsAnswered()
    {
        var message = _bot.Activity("message", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a =>
        {
            a["text"] = "help";
            a["entities"] = new JsonArray([null, new JsonObject { ["type"] = "clientInfo" }]);
            a["attachments"] = new JsonArray([null]);
        });

        using var response = await _bot.PostAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"type":"message","timestamp":12}""")]
    [InlineData("""{"type":"message","membersAdded":"x"}""")]
    public async Task ABodyThatIsNotAnActivity_WithAValidToken_Is400(string body)
    {
        using var response = await PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("BadActivity", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from")]
    [InlineData("conversation")]
    public async Task AnActivityMissingWhatTeamsAlwaysSends_Is400_NamingIt(string field)
    {
        var message = _bot.Activity("message", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a => a["text"] = "my apps");
        message.Remove(field);

        using var response = await _bot.PostAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_bot.Connector.Calls);
    }

    [Fact]
    public async Task AHugeBody_WithAValidToken_Is413()
    {
        var message = _bot.Activity("message", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a => a["text"] = new string('x', 2 * 1024 * 1024));

        using var response = await _bot.PostAsync(message);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ATextPlainBody_WithAValidToken_Is415()
    {
        using var response = await PostRawAsync(_bot.Activity("message", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a => a["text"] = "help").ToJsonString(), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task EveryRoute_GivenOddValues_AnswersWithoutA500()
    {
        var routes = _bot.Services.GetServices<Route>().Select(r => r.Key).ToList();
        JsonNode?[] values = [null, "text", 5, new JsonArray(), new JsonArray([null]), new JsonObject(), new JsonObject { ["appId"] = new JsonArray(), ["app"] = 5, ["requestId"] = new JsonObject(), ["keyId"] = true, ["csv"] = 7 }];
        var failures = new List<string>();
        foreach (var key in routes)
        {
            foreach (var value in values)
            {
                var activity = ActivityFor(key, value);
                using var response = await _bot.PostAsync(activity);
                var status = await StatusOfAsync(response);
                if (status >= 500)
                {
                    failures.Add($"{key} value={value?.ToJsonString() ?? "null"} -> {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        using var good = await _bot.SendMessageAsync("help");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    /// <summary>Action.Execute answers carry their status in the body (HTTP 200, as Teams requires); others in HTTP.</summary>
    private static async Task<int> StatusOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.StartsWith('{'))
        {
            using var body = System.Text.Json.JsonDocument.Parse(text);
            if (body.RootElement.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out var inner))
            {
                return Math.Max(inner, (int)response.StatusCode);
            }
        }

        return (int)response.StatusCode;
    }

    private JsonObject ActivityFor(RouteKey key, JsonNode? value)
    {
        var conversation = $"a:personal-{BotHost.Alex}";
        return key.Kind switch
        {
            RouteKind.CardAction => _bot.Activity("invoke", BotHost.Alex, "Alex Wilber", conversation, extra: a =>
            {
                a["name"] = "adaptiveCard/action";
                a["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = key.Name, ["data"] = value?.DeepClone() } };
            }),
            RouteKind.MessageExtension => _bot.Activity("invoke", BotHost.Alex, "Alex Wilber", conversation, extra: a =>
            {
                a["name"] = "composeExtension/query";
                a["value"] = new JsonObject { ["commandId"] = key.Name, ["parameters"] = value?.DeepClone() };
            }),
            RouteKind.Invoke => _bot.Activity("invoke", BotHost.Alex, "Alex Wilber", conversation, extra: a =>
            {
                a["name"] = key.Name;
                a["value"] = value?.DeepClone();
            }),
            _ => _bot.Activity(key.Name, BotHost.Alex, "Alex Wilber", conversation, extra: a =>
            {
                a["value"] = value?.DeepClone();
                a["action"] = value is JsonValue ? value.DeepClone() : "add";
                a["membersAdded"] = value is JsonArray ? value.DeepClone() : new JsonArray(new JsonObject { ["id"] = value?.ToJsonString() });
            }),
        };
    }

    private async Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Authorization = new("Bearer", BotTokenFactory.Create(_bot.SigningKey, audience: BotHost.BotAppId, serviceUrl: _bot.Connector.ServiceUrl.ToString(), now: _bot.Time.GetUtcNow()));
        return await _bot.Client.SendAsync(request);
    }
}

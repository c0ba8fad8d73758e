using System.Net;
using System.Text;
using System.Text.Json;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Hosting;

/// <summary>
/// What the endpoint accepts as an activity: only the channels it serves, only JSON activities with the fields Teams
/// always sends, within a size, by POST; every refusal a 4xx with a reason that reaches no handler, and the endpoint
/// keeps serving after each.
/// </summary>
public sealed class ActivityBodyTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    [Fact]
    public async Task AnActivityFromAnotherChannel_IsRefused_InLocalModeToo()
    {
        await using var host = await EndpointHost.StartAsync();

        var response = await host.PostAsync(EndpointHost.Message.Replace("msteams", "webchat", StringComparison.Ordinal));

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("ChannelNotAllowed", response.Code);
        Assert.Contains("msteams", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task AConfiguredChannel_IsServed_AndReplacesTheDefault()
    {
        await using var host = await EndpointHost.StartAsync(settings: new() { ["Bot:AllowedChannels:0"] = "webchat" });

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(EndpointHost.Message.Replace("msteams", "webchat", StringComparison.Ordinal))).Status);
        Assert.Equal(StatusCodes.Status403Forbidden, (await host.PostAsync(EndpointHost.Message)).Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"type":""}""")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("\"message\"")]
    [InlineData("""{"type":"message","timestamp":"yesterday","channelId":"msteams"}""")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":{"id":"28:bot"}}""")]
    [InlineData("""{"type":"message","from":"user-id-0"}""")]
    [InlineData("""{"type":"message","text":"unterminated""")]
    [InlineData(EndpointHost.Message + " trailing text")]
    [InlineData(EndpointHost.Message + EndpointHost.Message)]
    public async Task ABodyThatIsNotAnActivity_Is400_WithAReason(string body)
    {
        await using var host = await EndpointHost.StartAsync();

        var response = await host.PostAsync(body);

        Assert.Equal(StatusCodes.Status400BadRequest, response.Status);
        Assert.Equal("BadActivity", response.Code);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Refused a request body with 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALargeBodyWithoutADeclaredLength_IsReadWhole_AcrossManyReads()
    {
        await using var host = await EndpointHost.StartAsync();
        var text = new string('x', BotEndpoint.MaxBodyBytes - 1024);
        var body = Encoding.UTF8.GetBytes(EndpointHost.Message.Replace("\"hi\"", $"\"{text}\"", StringComparison.Ordinal));

        var response = await host.PostAsync(body, declareLength: false);

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Equal(1, host.Handled);
        Assert.Equal(text, host.LastText);
    }

    [Fact]
    public async Task DeeplyNestedJson_Is400()
    {
        await using var host = await EndpointHost.StartAsync();
        var body = $$"""{"type":"message","value":{{new string('[', 5000)}}{{new string(']', 5000)}}}""";

        Assert.Equal(StatusCodes.Status400BadRequest, (await host.PostAsync(body)).Status);
    }

    [Fact]
    public async Task TextThatIsNotUtf8_Is400()
    {
        await using var host = await EndpointHost.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(EndpointHost.Message.Replace("\"hi\"", "\"hi-\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'-')] = 0xFF;

        Assert.Equal(StatusCodes.Status400BadRequest, (await host.PostAsync(bytes)).Status);
    }

    [Theory]
    [InlineData("channelId")]
    [InlineData("serviceUrl")]
    [InlineData("conversation")]
    [InlineData("from")]
    public async Task AnActivityWithoutAFieldTeamsAlwaysSends_Is400_NamingIt(string field)
    {
        await using var host = await EndpointHost.StartAsync();
        var activity = System.Text.Json.Nodes.JsonNode.Parse(EndpointHost.Message)!.AsObject();
        activity.Remove(field);

        var response = await host.PostAsync(activity.ToJsonString());

        Assert.Equal(StatusCodes.Status400BadRequest, response.Status);
        Assert.Contains(field, response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task MembersAddedWithNullEntries_IsHandled_NotA500()
    {
        await using var host = await EndpointHost.StartAsync();
        var update = """{"type":"conversationUpdate","channelId":"msteams","serviceUrl":"http://localhost:56150/_connector","from":{"id":"user-id-0"},"conversation":{"id":"a:1"},"recipient":{"id":"bot"},"membersAdded":[null,{"id":"bot"}],"membersRemoved":[null]}""";

        var response = await host.PostAsync(update);

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Equal(1, host.BotsAdded);
    }

    [Fact]
    public async Task AnOversizedBody_Is413_WhetherItsLengthIsDeclaredOrNot()
    {
        await using var host = await EndpointHost.StartAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('x', BotEndpoint.MaxBodyBytes)}}"}""");

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, (await host.PostAsync(body)).Status);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, (await host.PostAsync(body, declareLength: false)).Status);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task OtherMethods_Are405()
    {
        await using var host = await EndpointHost.StartAsync();

        Assert.Equal(StatusCodes.Status405MethodNotAllowed, (await host.SendAsync("GET")).Status);
        Assert.Equal(StatusCodes.Status405MethodNotAllowed, (await host.SendAsync("OPTIONS")).Status);
    }

    [Fact]
    public async Task AfterEveryRefusal_AGoodRequestIsStillServed()
    {
        await using var host = await EndpointHost.StartAsync();
        await host.PostAsync("not json");
        await host.PostAsync(EndpointHost.Message, remote: Remote);
        await host.PostAsync(EndpointHost.Message, contentType: "text/plain");

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(EndpointHost.Message)).Status);
        Assert.Equal(1, host.Handled);
    }
}

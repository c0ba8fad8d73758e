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
/// The messaging endpoint in local mode (no app id), attacked the ways a web page, a proxy or a careless client can:
/// only a program on this machine talking to it directly gets through, every refusal is a 4xx with a reason, and
/// nothing refused reaches a handler. Production-mode token checks are in InboundAuthenticationTests and the
/// end-to-end suite; bodies and channels in <see cref="ActivityBodyTests"/>, start-up in <see cref="EndpointStartupTests"/>.
/// </summary>
public sealed class MessagingEndpointTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    [Fact]
    public async Task ThePlaygroundsOwnRequest_IsAccepted()
    {
        await using var host = await EndpointHost.StartAsync();

        // Exactly what the Agents Playground 0.2.28 sends (captured): its Node server posts, so there is no Origin.
        var response = await host.PostAsync(EndpointHost.Message, host: "127.0.0.1:3978", headers: new()
        {
            ["Accept"] = "application/json, text/plain, */*",
            ["x-ms-agents-playground"] = "true",
            ["User-Agent"] = "axios/1.12.2",
        });

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Equal(1, host.Handled);
    }

    [Theory]
    [InlineData("127.0.0.1", "localhost:3978")]
    [InlineData("127.0.0.1", "LOCALHOST")]
    [InlineData("::1", "[::1]:3978")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1:3978")]
    public async Task EveryLoopbackSocketAndHost_IsAccepted(string socket, string hostHeader)
    {
        await using var host = await EndpointHost.StartAsync();

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(EndpointHost.Message, remote: IPAddress.Parse(socket), host: hostHeader)).Status);
    }

    [Theory]
    [InlineData("http://localhost:56150")]
    [InlineData("http://127.0.0.1:5173")]
    [InlineData("https://[::1]:8443")]
    public async Task APageOnThisMachine_IsAccepted(string origin)
    {
        await using var host = await EndpointHost.StartAsync();

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(EndpointHost.Message, headers: new() { ["Origin"] = origin })).Status);
    }

    [Fact]
    public async Task ACrossOriginTextPlainPost_FromAWebPage_IsRefused_AndHandledByNothing()
    {
        await using var host = await EndpointHost.StartAsync();

        // What <form enctype="text/plain"> or fetch(..., {mode:'no-cors'}) on any web site sends, with no preflight.
        var response = await host.PostAsync(EndpointHost.Message, contentType: "text/plain;charset=UTF-8", headers: new() { ["Origin"] = "https://evil.example" });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("ForeignOrigin", response.Code);
        Assert.Equal(0, host.Handled);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/jsonp")]
    [InlineData(null)]
    public async Task ABodyThatIsNotJson_Is415_EvenFromThisMachine(string? contentType)
    {
        await using var host = await EndpointHost.StartAsync();

        var response = await host.PostAsync(EndpointHost.Message, contentType: contentType);

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, response.Status);
        Assert.Contains("application/json", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Refused a request body with 415", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.nip.io:3978")]
    [InlineData("file://")]
    [InlineData("http://user@localhost")]
    public async Task AForeignOrigin_IsRefused_EvenWithAJsonBody(string origin)
    {
        await using var host = await EndpointHost.StartAsync();

        var response = await host.PostAsync(EndpointHost.Message, headers: new() { ["Origin"] = origin });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal(0, host.Handled);
    }

    [Theory]
    [InlineData("evil.example:3978")]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io:3978")]
    [InlineData("localhost.evil.example")]
    [InlineData("10.0.0.5:3978")]
    [InlineData("0.0.0.0:3978")]
    public async Task ADnsRebindingHost_IsRefused(string hostHeader)
    {
        await using var host = await EndpointHost.StartAsync();

        // A page on evil.example re-points its name to 127.0.0.1: same origin for the browser, no Origin check to fail.
        var response = await host.PostAsync(EndpointHost.Message, host: hostHeader);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("HostNotLoopback", response.Code);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task ACallerFromAnotherMachine_IsRefused()
    {
        await using var host = await EndpointHost.StartAsync();

        var response = await host.PostAsync(EndpointHost.Message, remote: Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("NotLoopback", response.Code);
        Assert.Equal(0, host.Handled);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message == "Refused an inbound request: NotLoopback");
    }

    [Fact]
    public async Task ForwardedFor127_FromAnotherMachine_WithForwardedHeadersEnabled_IsRefused()
    {
        await using var host = await EndpointHost.StartAsync(forwardedHeaders: true);

        // The attack is real in this configuration: the middleware trusts every proxy and rewrites the address.
        Assert.Equal("127.0.0.1", await host.SeenRemoteAddressAsync(Remote, "127.0.0.1"));
        var response = await host.PostAsync(EndpointHost.Message, remote: Remote, headers: new() { ["X-Forwarded-For"] = "127.0.0.1" });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task AMiddlewareThatRewritesTheAddress_DoesNotMakeARemoteCallerLocal()
    {
        await using var host = await EndpointHost.StartAsync(rewriteAddressTo: IPAddress.Loopback);

        var response = await host.PostAsync(EndpointHost.Message, remote: Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("NotLoopback", response.Code);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-Host", "abc.ngrok.app")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Original-For", "203.0.113.9:5555")]
    public async Task ARequestRelayedByALocalProxyOrTunnel_IsRefused(string header, string value)
    {
        await using var host = await EndpointHost.StartAsync();

        // A tunnel agent on this machine connects from loopback on behalf of anyone on the internet.
        var response = await host.PostAsync(EndpointHost.Message, headers: new() { [header] = value });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("Proxied", response.Code);
        Assert.Equal(0, host.Handled);
    }
}

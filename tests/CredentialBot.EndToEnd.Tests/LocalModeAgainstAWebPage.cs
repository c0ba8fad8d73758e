using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialBot.TestKit.Connector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The real host in local mode (no app id, the embedded demo tenant, forwarded headers switched on as
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> does): a web page in the user's browser, a DNS-rebinding page and a
/// remote caller claiming to be 127.0.0.1 cannot drive it — not even as the demo's admin, Megan Bowen — while the
/// Agents Playground's own requests are served. Requests enter the real pipeline with the socket address the test sets.
/// </summary>
public sealed class LocalModeAgainstAWebPage : IClassFixture<LocalModeAgainstAWebPage.LocalHost>
{
    private const string Megan = BotHost.Megan;
    private readonly LocalHost _host;

    public LocalModeAgainstAWebPage(LocalHost host) => _host = host;

    [Fact]
    public async Task ThePlaygroundsRequest_IsServed()
    {
        var before = _host.Connector.Calls.Count;

        var status = await _host.PostAsync(_host.Message("help"), "application/json", "127.0.0.1:3978", IPAddress.Loopback);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.NotEmpty((await _host.Connector.WaitForCallsAsync(before + 1))[before].Cards);
    }

    [Fact]
    public async Task ACrossOriginTextPlainPost_AsTheAdmin_IsRefused_AndNothingRuns()
    {
        var before = _host.Connector.Calls.Count;
        var status = await _host.PostAsync(_host.Message("scan now"), "text/plain", "localhost:3978", IPAddress.Loopback, ("Origin", "https://evil.example"));

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        await _host.AssertNothingSentSinceAsync(before);
    }

    [Fact]
    public async Task ATextPlainPost_WithoutAnOrigin_Is415()
    {
        var before = _host.Connector.Calls.Count;
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, await _host.PostAsync(_host.Message("scan now"), "text/plain", "localhost:3978", IPAddress.Loopback));
        await _host.AssertNothingSentSinceAsync(before);
    }

    [Fact]
    public async Task ADnsRebindingPage_IsRefused()
    {
        var before = _host.Connector.Calls.Count;
        Assert.Equal(StatusCodes.Status403Forbidden, await _host.PostAsync(_host.Message("scan now"), "application/json", "rebind.evil.example:3978", IPAddress.Loopback));
        await _host.AssertNothingSentSinceAsync(before);
    }

    [Fact]
    public async Task XForwardedFor127_FromAnotherMachine_IsRefused()
    {
        var before = _host.Connector.Calls.Count;
        var status = await _host.PostAsync(_host.Message("scan now"), "application/json", "localhost:3978", IPAddress.Parse("203.0.113.7"), ("X-Forwarded-For", "127.0.0.1"));

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        Assert.NotEqual(ForwardedHeaders.None, _host.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders);
        await _host.AssertNothingSentSinceAsync(before);
    }

    [Fact]
    public async Task AnythingInThePipelineThatRewritesTheAddress_DoesNotMakeARemoteCallerLocal()
    {
        // LocalHost adds a startup filter that rewrites 198.51.100.1 to 127.0.0.1, as a misconfigured proxy middleware would.
        var before = _host.Connector.Calls.Count;
        var status = await _host.PostAsync(_host.Message("scan now"), "application/json", "localhost:3978", LocalHost.RewrittenToLoopback);

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        await _host.AssertNothingSentSinceAsync(before);
    }

    /// <summary>One local-mode host for the class: every attack must leave it serving.</summary>
    public sealed class LocalHost : IAsyncLifetime
    {
        public static readonly IPAddress RewrittenToLoopback = IPAddress.Parse("198.51.100.1");

        private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-local-" + Guid.NewGuid().ToString("N"));
        private WebApplicationFactory<Program> _factory = null!;
        private int _sequence;

        public FakeConnectorServer Connector { get; private set; } = null!;

        public IServiceProvider Services => _factory.Services;

        public async Task InitializeAsync()
        {
            System.IO.Directory.CreateDirectory(_directory);
            Connector = await FakeConnectorServer.StartAsync();
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
                web.UseSetting("Store:ConnectionString", $"Data Source={Path.Combine(_directory, "local.db")}");
                web.UseSetting("Scanner:Enabled", "false");
                web.UseSetting("Notifications:DispatcherEnabled", "false");
                web.UseSetting("Janitor:Enabled", "false");
                web.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, RewriteAddress>());
            });
            _ = _factory.Server;
        }

        public async Task DisposeAsync()
        {
            await _factory.DisposeAsync();
            await Connector.DisposeAsync();
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold the file for a moment after disposal; a temp folder left behind is harmless.
            }
        }

        /// <summary>A personal-chat message from Megan Bowen (an admin in the demo tenant), shaped as the Playground sends it.</summary>
        public string Message(string text) => new JsonObject
        {
            ["type"] = "message",
            ["id"] = $"local-{Interlocked.Increment(ref _sequence)}",
            ["text"] = text,
            ["channelId"] = "msteams",
            ["serviceUrl"] = Connector.ServiceUrl.ToString(),
            ["from"] = new JsonObject { ["id"] = "user-id-1", ["name"] = "Megan Bowen", ["aadObjectId"] = Megan },
            ["recipient"] = new JsonObject { ["id"] = "00000000-0000-0000-0000-00000000000011", ["name"] = "Test Bot" },
            ["conversation"] = new JsonObject { ["id"] = "personal-megan", ["conversationType"] = "personal", ["tenantId"] = BotHost.TenantId },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = BotHost.TenantId } },
        }.ToJsonString();

        public async Task<int> PostAsync(string body, string contentType, string host, IPAddress socket, params (string Name, string Value)[] headers)
        {
            var context = await _factory.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = "/api/messages";
                c.Request.Host = new HostString(host);
                c.Request.ContentType = contentType;
                c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
                c.Connection.RemoteIpAddress = socket;
                foreach (var (name, value) in headers)
                {
                    c.Request.Headers.Append(name, value);
                }
            });
            return context.Response.StatusCode;
        }

        /// <summary>
        /// Nothing reached the connector since <paramref name="before"/> calls (a handler answers within its request), and
        /// the next good request is still served — its reply is the only new call.
        /// </summary>
        public async Task AssertNothingSentSinceAsync(int before)
        {
            Assert.Equal(before, Connector.Calls.Count);
            Assert.Equal(StatusCodes.Status200OK, await PostAsync(Message("help"), "application/json", "localhost:3978", IPAddress.Loopback));
            Assert.Equal(before + 1, (await Connector.WaitForCallsAsync(before + 1)).Count);
        }

        /// <summary>Registered after the bot's own filter, as any later middleware would be.</summary>
        private sealed class RewriteAddress : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (RewrittenToLoopback.Equals(context.Connection.RemoteIpAddress))
                    {
                        context.Connection.RemoteIpAddress = IPAddress.Loopback;
                    }

                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}

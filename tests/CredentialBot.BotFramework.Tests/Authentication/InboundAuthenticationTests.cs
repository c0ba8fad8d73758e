using CredentialBot.BotFramework.Authentication;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Schema;
using CredentialBot.TestKit.Auth;
using CredentialBot.TestKit.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.BotFramework.Tests.Authentication;

/// <summary>
/// Every row of specs/auth.md §1c, against the real validation path: RSA keys published by a local OpenID
/// metadata endpoint, tokens built the way the Bot Connector builds them, a clock the test controls.
/// </summary>
public sealed class InboundAuthenticationTests : IAsyncLifetime
{
    private const string AppId = "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private const string Tenant = "72f988bf-0000-0000-0000-2d7cd011db47";

    private readonly TestSigningKey _key = TestSigningKey.Create();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private LocalOpenIdMetadataServer _metadata = null!;
    private BotSigningKeys _keys = null!;
    private BotRequestAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _metadata = await LocalOpenIdMetadataServer.StartAsync(_key);
        var options = Options.Create(new BotAuthOptions
        {
            MicrosoftAppId = AppId,
            ClientSecret = "unused",
            OpenIdMetadataUrl = _metadata.MetadataUrl.ToString(),
            AllowedTenants = [Tenant],
        });
        _keys = new BotSigningKeys(_http, options, _time, NullLogger<BotSigningKeys>.Instance);
        _authenticator = new BotRequestAuthenticator(options, _keys, _time, NullLogger<BotRequestAuthenticator>.Instance);
    }

    public async Task DisposeAsync()
    {
        _keys.Dispose();
        _http.Dispose();
        await _metadata.DisposeAsync();
    }

    [Fact]
    public async Task AConnectorToken_ForThisBot_IsAccepted()
    {
        Assert.Equal(AuthFailure.None, await CheckAsync(Bearer(Token())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task AMissingOrNonBearerHeader_IsRefused(string? header)
    {
        Assert.Equal(AuthFailure.MissingOrMalformedHeader, await CheckAsync(header));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("two.parts")]
    [InlineData("!!!.@@@.###")]
    public async Task ATokenThatIsNotAJws_IsRefused(string token)
    {
        Assert.Equal(AuthFailure.MalformedToken, await CheckAsync(Bearer(token)));
    }

    [Fact]
    public async Task AnUnsignedToken_AlgNone_IsRefused()
    {
        Assert.Equal(AuthFailure.MalformedToken, await CheckAsync(Bearer(BotTokenFactory.CreateUnsigned(AppId, ServiceUrl, _key.KeyId))));
    }

    [Fact]
    public async Task AnHmacToken_SignedWithTheAppSecret_IsRefused()
    {
        Assert.Equal(AuthFailure.MalformedToken, await CheckAsync(Bearer(BotTokenFactory.CreateHmac("unused", AppId, ServiceUrl))));
    }

    [Fact]
    public async Task AnRs512Token_IsRefused_OnlyRs256IsAccepted()
    {
        Assert.Equal(AuthFailure.MalformedToken, await CheckAsync(Bearer(Token(algorithm: SecurityAlgorithms.RsaSha512))));
    }

    [Fact]
    public async Task ATamperedPayload_FailsTheSignature()
    {
        Assert.Equal(AuthFailure.InvalidToken, await CheckAsync(Bearer(BotTokenFactory.Tamper(Token()))));
    }

    [Fact]
    public async Task AKeyThatIsNotPublished_IsRefused()
    {
        var stranger = TestSigningKey.Create();

        Assert.Equal(AuthFailure.UnknownKey, await CheckAsync(Bearer(BotTokenFactory.Create(stranger, AppId, ServiceUrl, now: _time.GetUtcNow()))));
    }

    [Fact]
    public async Task APublishedKeyId_WithAnotherKeysSignature_IsRefused()
    {
        var forger = TestSigningKey.Create();

        Assert.Equal(AuthFailure.InvalidToken, await CheckAsync(Bearer(BotTokenFactory.Create(forger, AppId, ServiceUrl, now: _time.GetUtcNow(), keyIdOverride: _key.KeyId))));
    }

    [Theory]
    [InlineData("https://api.botframework.com/")]
    [InlineData("https://sts.windows.net/72f988bf-0000-0000-0000-2d7cd011db47/")]
    [InlineData("https://api.botframework.com.evil.example")]
    public async Task AnotherIssuer_IsRefused(string issuer)
    {
        Assert.Equal(AuthFailure.InvalidToken, await CheckAsync(Bearer(Token(issuer: issuer))));
    }

    [Theory]
    [InlineData("another-bot")]
    [InlineData("https://api.botframework.com")]
    public async Task AnotherAudience_IsRefused_IncludingAReplayedOutboundToken(string audience)
    {
        Assert.Equal(AuthFailure.InvalidToken, await CheckAsync(Bearer(Token(audience: audience))));
    }

    [Fact]
    public async Task ATokenExpiredWithinTheFiveMinuteSkew_IsAccepted()
    {
        var token = Token(lifetime: TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(14));

        Assert.Equal(AuthFailure.None, await CheckAsync(Bearer(token)));
    }

    [Fact]
    public async Task ATokenExpiredBeyondTheSkew_IsRefused()
    {
        var token = Token(lifetime: TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(AuthFailure.InvalidToken, await CheckAsync(Bearer(token)));
    }

    [Theory]
    [InlineData(4, AuthFailure.None)]
    [InlineData(6, AuthFailure.InvalidToken)]
    public async Task NotBefore_InTheFuture_IsToleratedOnlyWithinTheSkew(int minutesAhead, AuthFailure expected)
    {
        var token = Token(notBeforeOffset: TimeSpan.FromMinutes(minutesAhead));

        Assert.Equal(expected, await CheckAsync(Bearer(token)));
    }

    [Fact]
    public async Task AServiceUrlClaimThatDiffersFromTheActivity_IsRefused_SoRepliesCannotBeRedirected()
    {
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token(serviceUrl: "https://smba.trafficmanager.net/amer/"))), default);

        Assert.True(check.IsValid);
        Assert.Equal(AuthFailure.ServiceUrlMismatch, _authenticator.ValidateActivity(check, Activity()));
    }

    [Fact]
    public async Task AMissingServiceUrlClaim_IsRefused()
    {
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token(serviceUrl: null))), default);

        Assert.Equal(AuthFailure.ServiceUrlMismatch, _authenticator.ValidateActivity(check, Activity()));
    }

    [Fact]
    public async Task ATrailingSlash_IsNotAServiceUrlDifference()
    {
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token(serviceUrl: ServiceUrl.TrimEnd('/')))), default);

        Assert.Equal(AuthFailure.None, _authenticator.ValidateActivity(check, Activity()));
    }

    [Fact]
    public async Task AKeyNotEndorsedForTheActivitysChannel_IsRefused()
    {
        var webchatOnly = TestSigningKey.Create(null, "webchat");
        _metadata.Publish(webchatOnly);
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(BotTokenFactory.Create(webchatOnly, AppId, ServiceUrl, now: _time.GetUtcNow()))), default);

        Assert.True(check.IsValid);
        Assert.Equal(AuthFailure.ChannelNotEndorsed, _authenticator.ValidateActivity(check, Activity()));
    }

    [Fact]
    public async Task AWebChatActivity_WithAGenuineTokenEndorsedForWebChat_IsRefused_TeamsOnly()
    {
        // A Direct Line / Web Chat client reaching the bot through the Bot Connector: everything checks out except
        // that this bot does not serve that channel.
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token())), default);

        Assert.Contains("webchat", _key.Endorsements);
        Assert.Equal(AuthFailure.ChannelNotAllowed, _authenticator.ValidateActivity(check, Activity() with { ChannelId = "webchat" }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("MSTEAMS")]
    [InlineData("msteams ")]
    public async Task AChannelIdThatIsNotExactlyAnEndorsedOne_IsRefused(string? channelId)
    {
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token())), default);

        Assert.Equal(AuthFailure.ChannelNotEndorsed, _authenticator.ValidateActivity(check, Activity() with { ChannelId = channelId }));
    }

    [Fact]
    public async Task ConfiguredChannels_ReplaceTeams_AndStillNeedTheKeysEndorsement()
    {
        var authenticator = new BotRequestAuthenticator(
            Options.Create(new BotAuthOptions { MicrosoftAppId = AppId, ClientSecret = "unused", OpenIdMetadataUrl = _metadata.MetadataUrl.ToString(), AllowedChannels = ["webchat", "directline"] }),
            _keys,
            _time,
            NullLogger<BotRequestAuthenticator>.Instance);
        var check = await authenticator.ValidateTokenAsync(Request(Bearer(Token())), default);

        Assert.Equal(AuthFailure.None, authenticator.ValidateActivity(check, Activity() with { ChannelId = "webchat" }));
        Assert.Equal(AuthFailure.ChannelNotAllowed, authenticator.ValidateActivity(check, Activity()));
        Assert.Equal(AuthFailure.ChannelNotEndorsed, authenticator.ValidateActivity(check, Activity() with { ChannelId = "directline" }));
    }

    [Fact]
    public void TeamsIsTheDefault_AndTheOnlyChannel_WhenNoneIsConfigured()
    {
        Assert.Equal(["msteams"], new BotAuthOptions().ServedChannels);
    }

    [Fact]
    public async Task ATenantOutsideTheAllowList_IsRefused()
    {
        var check = await _authenticator.ValidateTokenAsync(Request(Bearer(Token())), default);
        var activity = Activity() with
        {
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo("someone-else") },
            Conversation = new ConversationAccount { Id = "a:1", TenantId = "someone-else" },
        };

        Assert.Equal(AuthFailure.TenantNotAllowed, _authenticator.ValidateActivity(check, activity));
    }

    [Fact]
    public async Task TwoAuthorizationHeaders_AreRefused()
    {
        var request = Request(Bearer(Token()));
        request.Headers.Append("Authorization", Bearer(Token()));

        Assert.Equal(AuthFailure.MissingOrMalformedHeader, (await _authenticator.ValidateTokenAsync(request, default)).Failure);
    }

    private string Token(
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        string issuer = BotTokenFactory.BotFrameworkIssuer,
        TimeSpan? lifetime = null,
        TimeSpan? notBeforeOffset = null,
        string algorithm = SecurityAlgorithms.RsaSha256) =>
        BotTokenFactory.Create(_key, audience, serviceUrl, issuer, _time.GetUtcNow(), notBeforeOffset, lifetime, algorithm: algorithm);

    private static string? Bearer(string? token) => token is null ? null : "Bearer " + token;

    private static Activity Activity() => new()
    {
        Type = "message",
        ChannelId = "msteams",
        ServiceUrl = ServiceUrl,
        Conversation = new ConversationAccount { Id = "a:1", TenantId = Tenant },
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo(Tenant) },
    };

    private static HttpRequest Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context.Request;
    }

    /// <summary>Both stages, as the endpoint runs them.</summary>
    private async Task<AuthFailure> CheckAsync(string? authorization)
    {
        var check = await _authenticator.ValidateTokenAsync(Request(authorization), default);
        return check.IsValid ? _authenticator.ValidateActivity(check, Activity()) : check.Failure;
    }
}

using CredentialBot.BotFramework.Authentication;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.TestKit.Auth;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.BotFramework.Tests.Authentication;

/// <summary>The metadata is cached; an unknown key id triggers at most one refresh per interval.</summary>
public sealed class SigningKeyCacheTests : IAsyncLifetime
{
    private readonly TestSigningKey _first = TestSigningKey.Create();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private LocalOpenIdMetadataServer _metadata = null!;
    private BotSigningKeys _keys = null!;

    public async Task InitializeAsync()
    {
        _metadata = await LocalOpenIdMetadataServer.StartAsync(_first);
        _keys = new BotSigningKeys(
            _http,
            Options.Create(new BotAuthOptions { MicrosoftAppId = "bot", OpenIdMetadataUrl = _metadata.MetadataUrl.ToString() }),
            _time,
            NullLogger<BotSigningKeys>.Instance);
    }

    public async Task DisposeAsync()
    {
        _keys.Dispose();
        _http.Dispose();
        await _metadata.DisposeAsync();
    }

    [Fact]
    public async Task KnownKeys_AreServedFromTheCache()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await _keys.FindAsync(_first.KeyId, default));
        }

        Assert.Equal(1, _metadata.KeyHits);
    }

    [Fact]
    public async Task ARolledOverKey_IsFoundByOneRefresh()
    {
        await _keys.FindAsync(_first.KeyId, default);
        var next = TestSigningKey.Create();
        _metadata.Publish(next);

        var found = await _keys.FindAsync(next.KeyId, default);

        Assert.NotNull(found);
        Assert.Contains("msteams", found.Endorsements);
        Assert.Equal(2, _metadata.KeyHits);
    }

    [Fact]
    public async Task ForgedKeyIds_CannotHammerTheMetadataEndpoint()
    {
        await _keys.FindAsync(_first.KeyId, default);

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await _keys.FindAsync("forged-" + i, default));
        }

        Assert.Equal(2, _metadata.KeyHits);
    }

    [Fact]
    public async Task AfterTheInterval_AnUnknownKeyMayRefreshAgain()
    {
        await _keys.FindAsync("forged-1", default);
        _time.Advance(TimeSpan.FromMinutes(6));
        var next = TestSigningKey.Create();
        _metadata.Publish(next);

        Assert.NotNull(await _keys.FindAsync(next.KeyId, default));
    }

    [Fact]
    public async Task KeysAreRefetched_WhenTheCacheLifetimeEnds()
    {
        await _keys.FindAsync(_first.KeyId, default);
        _time.Advance(TimeSpan.FromHours(25));

        await _keys.FindAsync(_first.KeyId, default);

        Assert.Equal(2, _metadata.KeyHits);
    }

    [Fact]
    public async Task AnUnreachableMetadataEndpoint_KeepsTheLastKnownKeys()
    {
        await _keys.FindAsync(_first.KeyId, default);
        await _metadata.DisposeAsync();
        _time.Advance(TimeSpan.FromHours(25));

        Assert.NotNull(await _keys.FindAsync(_first.KeyId, default));
    }
}

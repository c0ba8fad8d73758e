using Azure.Core;
using CredentialBot.Domain;
using CredentialBot.TestKit.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Client;

namespace CredentialBot.Directory.Tests.AppIdentity;

/// <summary>
/// Each credential type Microsoft.Identity.Web offers, configured as Microsoft documents it, against a local Entra
/// token endpoint (HTTPS loopback) and an App Service-style managed-identity endpoint: what each sends, and that the
/// token it gets is the one the consumer uses. Nothing leaves the machine.
/// </summary>
[Collection(ManagedIdentityTests.Name)]
public sealed class SigningInTests : IAsyncLifetime
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string GraphScope = "https://graph.microsoft.com/.default";
    private const string BotScope = "https://api.botframework.com/.default";
    private const string TokenExchange = "api://AzureADTokenExchange";
    private readonly string _botAppId = Guid.NewGuid().ToString();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-identity-" + Guid.NewGuid().ToString("N"));
    private FakeEntraServer _entra = null!;
    private FakeManagedIdentityEndpoint _managedIdentity = null!;
    private LoopbackMsalHttpClientFactory _msalHttp = null!;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _entra = await FakeEntraServer.StartAsync();
        _managedIdentity = await FakeManagedIdentityEndpoint.SharedAsync();
        _msalHttp = new LoopbackMsalHttpClientFactory(_entra);
    }

    public async Task DisposeAsync()
    {
        _msalHttp.Dispose();
        await _entra.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AClientSecret_IsSentAsClientSecret_ForTheConsumersScope()
    {
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
        });

        var token = await GraphTokenAsync(services);

        var request = Assert.Single(_entra.Requests);
        Assert.Equal(Tenant, request.Tenant);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal(_botAppId, request["client_id"]);
        Assert.Equal("the-bot-secret", request["client_secret"]);
        Assert.Null(request["client_assertion"]);
        Assert.Equal(GraphScope, request["scope"]);
        Assert.StartsWith($"entra-app-token:{_botAppId}:{GraphScope}:", token, StringComparison.Ordinal);
        Assert.Empty(_msalHttp.Refused);
    }

    [Fact]
    public async Task ACertificateFromAPath_SignsAClientAssertion_AndSendsNoSecret()
    {
        var path = Path.Combine(_directory, "bot.pfx");
        using var certificate = TestCertificates.CreateAppCredential(path, "pfx-password");
        _entra.AddCertificate(_botAppId, certificate);
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "Path",
            ["AzureAd:ClientCredentials:0:CertificateDiskPath"] = path,
            ["AzureAd:ClientCredentials:0:CertificatePassword"] = "pfx-password",
        });

        var token = await GraphTokenAsync(services);

        var request = Assert.Single(_entra.Requests);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request["client_assertion_type"]);
        Assert.NotNull(request["client_assertion"]);
        Assert.Null(request["client_secret"]);
        Assert.Equal(GraphScope, request["scope"]);
        Assert.StartsWith($"entra-app-token:{_botAppId}:", token, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateGivenInline_AsBase64_SignsAClientAssertion()
    {
        using var certificate = TestCertificates.CreateAppCredential(Path.Combine(_directory, "inline.pfx"), "unused");
        _entra.AddCertificate(_botAppId, certificate);
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "Base64Encoded",
            ["AzureAd:ClientCredentials:0:Base64EncodedValue"] = Convert.ToBase64String(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx)),
        });

        await GraphTokenAsync(services);

        Assert.NotNull(Assert.Single(_entra.Requests)["client_assertion"]);
    }

    [Fact]
    public async Task ACertificateFromTheStore_ByThumbprint_SignsAClientAssertion()
    {
        using var certificate = TestCertificates.CreateAppCredential(Path.Combine(_directory, "store.pfx"), "store-password");
        using var persisted = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            Path.Combine(_directory, "store.pfx"), "store-password", System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.PersistKeySet | System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.Exportable);
        _entra.AddCertificate(_botAppId, certificate);
        using var store = new System.Security.Cryptography.X509Certificates.X509Store(System.Security.Cryptography.X509Certificates.StoreName.My, System.Security.Cryptography.X509Certificates.StoreLocation.CurrentUser);
        store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadWrite);
        store.Add(persisted);
        try
        {
            await using var services = Build(new()
            {
                ["AzureAd:ClientCredentials:0:SourceType"] = "StoreWithThumbprint",
                ["AzureAd:ClientCredentials:0:CertificateStorePath"] = "CurrentUser/My",
                ["AzureAd:ClientCredentials:0:CertificateThumbprint"] = certificate.Thumbprint,
            });

            await GraphTokenAsync(services);

            Assert.NotNull(Assert.Single(_entra.Requests)["client_assertion"]);
        }
        finally
        {
            store.Remove(persisted);
        }
    }

    [Fact]
    public async Task TheOlderBotCertificatePath_StillSignsIn()
    {
        var path = Path.Combine(_directory, "legacy.pfx");
        using var certificate = TestCertificates.CreateAppCredential(path, "legacy-password");
        _entra.AddCertificate(_botAppId, certificate);
        await using var services = Build(new() { ["Bot:CertificatePath"] = path, ["Bot:CertificatePassword"] = "legacy-password" });

        var token = await BotTokenAsync(services);

        Assert.NotNull(Assert.Single(_entra.Requests)["client_assertion"]);
        Assert.StartsWith($"entra-app-token:{_botAppId}:{BotScope}:", token, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateEntraDoesNotKnow_GetsNoToken()
    {
        var path = Path.Combine(_directory, "stranger.pfx");
        using var registered = TestCertificates.CreateAppCredential(Path.Combine(_directory, "registered.pfx"), "a");
        using var stranger = TestCertificates.CreateAppCredential(path, "b");
        _entra.AddCertificate(_botAppId, registered);
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "Path",
            ["AzureAd:ClientCredentials:0:CertificateDiskPath"] = path,
            ["AzureAd:ClientCredentials:0:CertificatePassword"] = "b",
        });

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => GraphTokenAsync(services));

        Assert.Equal("invalid_client", error.ErrorCode);
    }

    [Fact]
    public async Task AWrongSecret_GetsNoToken()
    {
        _entra.AddSecret(_botAppId, "the-real-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "a-guessed-secret",
        });

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => GraphTokenAsync(services));

        Assert.Equal("invalid_client", error.ErrorCode);
    }

    [Fact]
    public async Task Certificateless_ExchangesTheManagedIdentitysTokenForTheAppsToken()
    {
        var identity = Guid.NewGuid().ToString();
        _entra.AddFederation(_botAppId, assertion => FakeManagedIdentityEndpoint.IsTokenFor(assertion, identity, TokenExchange));
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "SignedAssertionFromManagedIdentity",
            ["AzureAd:ClientCredentials:0:ManagedIdentityClientId"] = identity,
            // Identity.Web knows the exchange audience of Microsoft's clouds; a local authority has to name it.
            ["AzureAd:ClientCredentials:0:TokenExchangeUrl"] = TokenExchange,
        });

        var token = await BotTokenAsync(services);

        // Leg 1: the managed identity asks its endpoint for a token meant for Entra's token exchange.
        var leg1 = Assert.Single(_managedIdentity.RequestsFor(identity));
        Assert.Equal(TokenExchange, leg1.Resource);
        Assert.Equal(_managedIdentity.Header, leg1.IdentityHeader);
        // Leg 2: that token is the app's client assertion; no secret exists anywhere.
        var leg2 = Assert.Single(_entra.Requests);
        Assert.Equal(_botAppId, leg2["client_id"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", leg2["client_assertion_type"]);
        Assert.True(FakeManagedIdentityEndpoint.IsTokenFor(leg2["client_assertion"]!, identity, TokenExchange));
        Assert.Null(leg2["client_secret"]);
        Assert.Equal(BotScope, leg2["scope"]);
        Assert.StartsWith($"entra-app-token:{_botAppId}:{BotScope}:", token, StringComparison.Ordinal);
        Assert.Empty(_msalHttp.Refused);
    }

    [Fact]
    public async Task Certificateless_WithAnIdentityTheAppDoesNotTrust_GetsNoToken()
    {
        var trusted = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        _entra.AddFederation(_botAppId, assertion => FakeManagedIdentityEndpoint.IsTokenFor(assertion, trusted, TokenExchange));
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "SignedAssertionFromManagedIdentity",
            ["AzureAd:ClientCredentials:0:ManagedIdentityClientId"] = other,
            ["AzureAd:ClientCredentials:0:TokenExchangeUrl"] = TokenExchange,
        });

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => BotTokenAsync(services));

        Assert.Equal("invalid_client", error.ErrorCode);
    }

    [Fact]
    public async Task AManagedIdentityBot_GetsItsConnectorTokenFromTheManagedIdentityEndpoint()
    {
        var identity = Guid.NewGuid().ToString();
        await using var services = Build(new() { ["Bot:ManagedIdentityClientId"] = identity });

        var token = await BotTokenAsync(services);

        var request = Assert.Single(_managedIdentity.RequestsFor(identity));
        Assert.Equal("https://api.botframework.com", request.Resource);
        Assert.Equal(_managedIdentity.Header, request.IdentityHeader);
        Assert.True(FakeManagedIdentityEndpoint.IsTokenFor(token, identity, "https://api.botframework.com"));
        Assert.Empty(_entra.Requests);
    }

    [Fact]
    public async Task GraphWithItsOwnManagedIdentity_UsesIt_WhileTheBotKeepsItsApp()
    {
        var identity = Guid.NewGuid().ToString();
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
            ["Graph:ManagedIdentityClientId"] = identity,
        });

        var graph = await GraphTokenAsync(services);
        var bot = await BotTokenAsync(services);

        Assert.True(FakeManagedIdentityEndpoint.IsTokenFor(graph, identity, "https://graph.microsoft.com"));
        Assert.StartsWith($"entra-app-token:{_botAppId}:{BotScope}:", bot, StringComparison.Ordinal);
        Assert.Equal([BotScope], _entra.Requests.Select(r => r["scope"]));
    }

    [Fact]
    public async Task TheGraphClient_SendsTheAppsToken_ToTheConfiguredGraph()
    {
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var graph = await RecordingGraph.StartAsync();
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:KeyCredentialRequests"] = "0",
        });

        Assert.True(await services.GetRequiredService<ITenantDirectory>().PingAsync());

        var authorization = Assert.Single(graph.Authorizations);
        Assert.StartsWith($"Bearer entra-app-token:{_botAppId}:{GraphScope}:", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphTenantId_PicksTheTenantGraphReads()
    {
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
            ["Graph:TenantId"] = "99999999-8888-7777-6666-555555555555",
        });

        await GraphTokenAsync(services);
        await BotTokenAsync(services);

        Assert.Equal(["99999999-8888-7777-6666-555555555555", Tenant], _entra.Requests.Select(r => r.Tenant));
    }

    [Fact]
    public async Task KeyVault_SignsInAsTheBot_ByDefault()
    {
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
            ["KeyVault:AllowedVaults:0"] = "https://contoso-secrets.vault.azure.net/",
        });

        var token = await AzureCredentials.ForKeyVault(services).GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), CancellationToken.None);

        Assert.Equal("https://vault.azure.net/.default", Assert.Single(_entra.Requests)["scope"]);
        Assert.StartsWith($"entra-app-token:{_botAppId}:https://vault.azure.net/.default:", token.Token, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppTokens_AreCached_UntilTheyNearExpiry()
    {
        _entra.AddSecret(_botAppId, "the-bot-secret");
        await using var services = Build(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = "the-bot-secret",
        });

        var first = await BotTokenAsync(services);
        var second = await BotTokenAsync(services);

        Assert.Equal(first, second);
        Assert.Single(_entra.Requests);
    }

    [Fact]
    public async Task AConsumerWithoutIdentity_StartsFine_AndSaysWhyWhenItIsAskedForAToken()
    {
        // Local mode: no bot, no vault. The Key Vault credential exists (the host builds it at start) but has no identity.
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().Build();
        services.AddTenantDirectory(configuration, _ => new Uri("http://127.0.0.1:1/v1.0"));
        await using var provider = services.BuildServiceProvider();

        var credential = AzureCredentials.ForKeyVault(provider);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), CancellationToken.None));

        Assert.StartsWith("KeyVault has no identity", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Bot:MicrosoftAppId"] = _botAppId,
            ["AzureAd:Instance"] = _entra.Instance.ToString(),
            ["AzureAd:TenantId"] = Tenant,
            ["Graph:BaseUrl"] = "https://127.0.0.1:1/v1.0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTenantDirectory(configuration);
        services.AddSingleton<IMsalHttpClientFactory>(_msalHttp);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static async Task<string> BotTokenAsync(IServiceProvider services)
    {
        var result = await services.GetRequiredKeyedService<ITokenAcquirer>(AppIdentityNames.Bot).GetTokenForAppAsync(BotScope);
        return result.AccessToken!;
    }

    private static async Task<string> GraphTokenAsync(IServiceProvider services)
    {
        var credential = new TokenAcquirerCredential(services.GetRequiredKeyedService<ITokenAcquirer>(AppIdentityNames.Graph));
        var token = await credential.GetTokenAsync(new TokenRequestContext([GraphScope]), CancellationToken.None);
        return token.Token;
    }
}

/// <summary>The managed-identity endpoint is found through process environment variables: those tests run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedIdentityTests
{
    public const string Name = "Managed identity endpoint";
}

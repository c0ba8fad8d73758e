using CredentialBot.Domain;

namespace CredentialBot.TestKit.Builders;

/// <summary>Builds Apps for tests: <c>new AppBuilder(now).WithSecretExpiringIn(5).WithOwner(...).Build()</c>.</summary>
public sealed class AppBuilder(DateTimeOffset now)
{
    private static int s_sequence;
    private readonly List<Credential> _credentials = [];
    private readonly List<Owner> _owners = [];
    private readonly List<string> _tags = [];
    private string _objectId = $"obj-{Interlocked.Increment(ref s_sequence):D4}";
    private string? _appId;
    private string _displayName = "Test App";
    private AppKind _kind = AppKind.Application;
    private bool _externallyManaged;

    public AppBuilder Named(string displayName)
    {
        _displayName = displayName;
        return this;
    }

    public AppBuilder WithIds(string objectId, string appId)
    {
        _objectId = objectId;
        _appId = appId;
        return this;
    }

    public AppBuilder AsServicePrincipal()
    {
        _kind = AppKind.ServicePrincipal;
        return this;
    }

    public AppBuilder ExternallyManaged()
    {
        _externallyManaged = true;
        return this;
    }

    public AppBuilder WithTag(string tag)
    {
        _tags.Add(tag);
        return this;
    }

    public AppBuilder WithSecretExpiringIn(double days, string? name = null) =>
        WithCredential(CredentialKind.Secret, now.AddDays(days), name);

    public AppBuilder WithCertificateExpiringIn(double days, string? name = null) =>
        WithCredential(CredentialKind.Certificate, now.AddDays(days), name);

    public AppBuilder WithCredential(CredentialKind kind, DateTimeOffset endsAt, string? name = null)
    {
        _credentials.Add(new Credential($"key-{_credentials.Count + 1}", kind, name ?? $"{kind.ToString().ToLowerInvariant()}-{_credentials.Count + 1}", endsAt.AddYears(-1), endsAt));
        return this;
    }

    public AppBuilder WithOwner(OwnerKind kind, string objectId, string? displayName = null, bool enabled = true, bool deleted = false, bool canManageCredentials = false)
    {
        _owners.Add(new Owner(kind, objectId, displayName ?? objectId, $"{objectId}@example.com", enabled, deleted, canManageCredentials));
        return this;
    }

    /// <summary>One active owner of every kind, so owner rules are satisfied unless a test says otherwise.</summary>
    public AppBuilder WithFullOwnership() =>
        WithOwner(OwnerKind.Entra, "entra-1").WithOwner(OwnerKind.Technical, "tech-1", canManageCredentials: true).WithOwner(OwnerKind.Business, "biz-1");

    public App Build() =>
        new(_objectId, _appId ?? $"appid-{_objectId}", _displayName, _kind, [.. _credentials], [.. _owners], [.. _tags], _externallyManaged);
}

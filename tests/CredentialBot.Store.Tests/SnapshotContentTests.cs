using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The content hash every stored App carries. A scan rewrites only Apps whose hash differs from the stored one, so the
/// hash of the same directory content must never change between versions (that would rewrite the whole tenant once,
/// unannounced), and any change to a stored field must change it.
/// </summary>
public sealed class SnapshotContentTests
{
    private static readonly DateTimeOffset Starts = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static App Sample() => new(
        "app-object-1",
        "app-id-1",
        "Payroll API — prod",
        AppKind.Application,
        [
            new Credential("key-b", CredentialKind.Certificate, null, null, Starts.AddYears(1)),
            new Credential("key-a", CredentialKind.Secret, "ci secret", Starts, Starts.AddDays(90)),
            new Credential("key-b", CredentialKind.Secret, "a second copy: the first one wins", Starts, Starts),
        ],
        [
            new Owner(OwnerKind.Entra, "person-2", "Zoë Example", null, AccountEnabled: false),
            new Owner(OwnerKind.Technical, "person-9", "Ours, not the directory's", "t@example.com"),
            new Owner(OwnerKind.Entra, "person-1", "Ann Example", "ann@example.com", Deleted: true),
            new Owner(OwnerKind.Entra, "person-2", "A second copy: the first one wins", "z@example.com"),
        ],
        ["finance", "tier-1"]);

    [Fact]
    public void TheHashOfKnownContent_IsTheOneEveryEarlierVersionStored()
    {
        Assert.Equal(-1161648851989999084L, SnapshotContent.Of(Sample()).Hash);
        Assert.Equal(2938394075679624834L, SnapshotContent.Of(new App("app-object-2", "app-id-2", "Bare", AppKind.ServicePrincipal, [], [])).Hash);
        Assert.Equal(-6872023606304367736L, SnapshotContent.Of(Large()).Hash);
    }

    /// <summary>Names longer than 127 UTF-8 bytes (a length of two bytes), and more owners than fit the usual buffer, in reverse order.</summary>
    private static App Large() => new(
        "app-object-3",
        "app-id-3",
        string.Concat(Enumerable.Repeat("Zürich Ω 東京 ", 40)),
        AppKind.Application,
        [.. Enumerable.Range(0, 40).Reverse().Select(i => new Credential($"key-{i:D3}", CredentialKind.Secret, $"secret {i}", Starts, Starts.AddDays(i)))],
        [.. Enumerable.Range(0, 400).Reverse().Select(i => new Owner(OwnerKind.Entra, $"person-{i:D3}", $"Person {i} {new string('é', i % 90)}", $"p{i}@example.com"))]);

    [Fact]
    public void TheOrderTheDirectoryListsThingsIn_AndOwnersThatAreOurs_DoNotChangeTheHash()
    {
        var app = Sample();
        var reordered = app with
        {
            Credentials = [app.Credentials[1], app.Credentials[0], app.Credentials[2]],
            Owners = [app.Owners[2], app.Owners[0], app.Owners[3], new Owner(OwnerKind.Business, "person-8", "Also ours", null)],
        };

        Assert.Equal(SnapshotContent.Of(app).Hash, SnapshotContent.Of(reordered).Hash);
    }

    [Fact]
    public void TheFirstOfTwoCopies_IsWhatIsStoredAndHashed()
    {
        var content = SnapshotContent.Of(Sample());

        Assert.Equal(["key-a", "key-b"], content.Credentials.Select(c => c.KeyId));
        Assert.Equal(CredentialKind.Certificate, content.Credentials[1].Kind);
        Assert.Equal(["person-1", "person-2"], content.EntraOwners.Select(o => o.ObjectId));
        Assert.Equal("Zoë Example", content.EntraOwners[1].DisplayName);
    }

    public static TheoryData<string> Changes => [.. ChangesOf(Sample()).Keys];

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnyChangeToAStoredField_ChangesTheHash(string change)
    {
        var app = Sample();

        Assert.NotEqual(SnapshotContent.Of(app).Hash, SnapshotContent.Of(ChangesOf(app)[change]).Hash);
    }

    private static Dictionary<string, App> ChangesOf(App app)
    {
        var credential = app.Credentials[1];
        var owner = app.Owners[2];
        return new Dictionary<string, App>(StringComparer.Ordinal)
        {
            ["appId"] = app with { AppId = "app-id-9" },
            ["name"] = app with { DisplayName = "Payroll API — prod " },
            ["kind"] = app with { Kind = AppKind.ServicePrincipal },
            ["tags"] = app with { Tags = ["finance"] },
            ["tags, split differently"] = app with { Tags = ["finance", "tier", "-1"] },
            ["no tags"] = app with { Tags = null },
            ["a credential more"] = app with { Credentials = [.. app.Credentials, credential with { KeyId = "key-c" }] },
            ["a credential less"] = app with { Credentials = [app.Credentials[0]] },
            ["credential kind"] = app with { Credentials = [app.Credentials[0], credential with { Kind = CredentialKind.Certificate }] },
            ["credential name"] = app with { Credentials = [app.Credentials[0], credential with { DisplayName = "ci secret 2" }] },
            ["credential name empty, not missing"] = app with { Credentials = [app.Credentials[0] with { DisplayName = string.Empty }, credential] },
            ["credential start"] = app with { Credentials = [app.Credentials[0], credential with { StartsAt = null }] },
            ["credential end"] = app with { Credentials = [app.Credentials[0], credential with { EndsAt = credential.EndsAt.AddTicks(1) }] },
            ["an owner more"] = app with { Owners = [.. app.Owners, owner with { ObjectId = "person-3" }] },
            ["an owner less"] = app with { Owners = [app.Owners[0]] },
            ["owner name"] = app with { Owners = [app.Owners[0], owner with { DisplayName = "Ann Example-Smith" }] },
            ["owner sign-in name"] = app with { Owners = [app.Owners[0], owner with { UserPrincipalName = "ann2@example.com" }] },
            ["owner sign-in name empty, not missing"] = app with { Owners = [app.Owners[0] with { UserPrincipalName = string.Empty }, owner] },
            ["owner disabled"] = app with { Owners = [app.Owners[0], owner with { AccountEnabled = false }] },
            ["owner deleted"] = app with { Owners = [app.Owners[0], owner with { Deleted = false }] },
        };
    }
}

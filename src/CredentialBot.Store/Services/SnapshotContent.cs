using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CredentialBot.Domain;

namespace CredentialBot.Store.Services;

/// <summary>
/// What the snapshot stores of one App from the directory, de-duplicated the way it is stored (credentials by keyId,
/// Entra owners by object id, first one wins), and its <see cref="Hash"/>: equal hashes mean the stored rows need no
/// write. The hash covers exactly the stored directory fields, nothing the store adds (technical and business owners,
/// the externally-managed flag, times of writing).
/// </summary>
internal sealed class SnapshotContent
{
    // Bumped when the hashed fields change, so every App is written once more after an upgrade.
    private const byte Version = 1;

    private SnapshotContent(App app, IReadOnlyList<Credential> credentials, IReadOnlyList<Owner> entraOwners, long hash)
    {
        App = app;
        Credentials = credentials;
        EntraOwners = entraOwners;
        Hash = hash;
    }

    public App App { get; }

    public string ObjectId => App.ObjectId;

    public IReadOnlyList<Credential> Credentials { get; }

    public IReadOnlyList<Owner> EntraOwners { get; }

    public long Hash { get; }

    public static SnapshotContent Of(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var credentials = app.Credentials.DistinctBy(c => c.KeyId, StringComparer.Ordinal).OrderBy(c => c.KeyId, StringComparer.Ordinal).ToList();
        var owners = app.OwnersOf(OwnerKind.Entra).DistinctBy(o => o.ObjectId, StringComparer.Ordinal).OrderBy(o => o.ObjectId, StringComparer.Ordinal).ToList();

        using var buffer = new MemoryStream(256);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            // BinaryWriter prefixes every string with its length, so no two field lists serialise alike.
            writer.Write(Version);
            writer.Write(app.AppId);
            writer.Write(app.DisplayName);
            writer.Write((int)app.Kind);
            writer.Write(app.TagsOrEmpty.Count);
            foreach (var tag in app.TagsOrEmpty)
            {
                writer.Write(tag);
            }

            writer.Write(credentials.Count);
            foreach (var credential in credentials)
            {
                writer.Write(credential.KeyId);
                writer.Write((int)credential.Kind);
                writer.Write(credential.DisplayName ?? string.Empty);
                writer.Write(credential.DisplayName is null);
                writer.Write(credential.StartsAt?.UtcTicks ?? long.MinValue);
                writer.Write(credential.EndsAt.UtcTicks);
            }

            writer.Write(owners.Count);
            foreach (var owner in owners)
            {
                writer.Write(owner.ObjectId);
                writer.Write(owner.DisplayName);
                writer.Write(owner.UserPrincipalName ?? string.Empty);
                writer.Write(owner.UserPrincipalName is null);
                writer.Write(owner.AccountEnabled);
                writer.Write(owner.Deleted);
            }
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), digest);
        return new SnapshotContent(app, credentials, owners, BinaryPrimitives.ReadInt64LittleEndian(digest));
    }
}

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
        var credentials = FirstOfEachKey(app.Credentials, c => c.KeyId);
        var owners = FirstOfEachKey(EntraOwnersOf(app), o => o.ObjectId);

        // The bytes hashed are those BinaryWriter (UTF-8) wrote until session 35: every string is prefixed with its
        // length, so no two field lists serialise alike, and the hash of unchanged content stays what is stored.
        var input = HashInput.ForThisThread();
        input.Write(Version);
        input.Write(app.AppId);
        input.Write(app.DisplayName);
        input.Write((int)app.Kind);
        input.Write(app.TagsOrEmpty.Count);
        foreach (var tag in app.TagsOrEmpty)
        {
            input.Write(tag);
        }

        input.Write(credentials.Length);
        foreach (var credential in credentials)
        {
            input.Write(credential.KeyId);
            input.Write((int)credential.Kind);
            input.Write(credential.DisplayName ?? string.Empty);
            input.Write(credential.DisplayName is null);
            input.Write(credential.StartsAt?.UtcTicks ?? long.MinValue);
            input.Write(credential.EndsAt.UtcTicks);
        }

        input.Write(owners.Length);
        foreach (var owner in owners)
        {
            input.Write(owner.ObjectId);
            input.Write(owner.DisplayName);
            input.Write(owner.UserPrincipalName ?? string.Empty);
            input.Write(owner.UserPrincipalName is null);
            input.Write(owner.AccountEnabled);
            input.Write(owner.Deleted);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input.Written, digest);
        input.Release();
        return new SnapshotContent(app, credentials, owners, BinaryPrimitives.ReadInt64LittleEndian(digest));
    }

    /// <summary>
    /// The App's Entra owners. A directory read lists no other kind, so its list is passed as it is (<see cref="FirstOfEachKey"/>
    /// copies it), without <see cref="App.OwnersOf"/>'s closure and iterator per App.
    /// </summary>
    private static IReadOnlyList<Owner> EntraOwnersOf(App app)
    {
        for (var i = 0; i < app.Owners.Count; i++)
        {
            if (app.Owners[i].Kind != OwnerKind.Entra)
            {
                return [.. app.OwnersOf(OwnerKind.Entra)];
            }
        }

        return app.Owners;
    }

    /// <summary>
    /// The items in ordinal order of their keys, the first of each key only: a stable sort, so the first listed of two
    /// with one key comes first and stays. Apps have a few credentials and owners, sorted in place without allocating.
    /// </summary>
    private static T[] FirstOfEachKey<T>(IReadOnlyList<T> items, Func<T, string> key)
    {
        if (items.Count <= 1)
        {
            return items.Count == 0 ? [] : [items[0]];
        }

        var sorted = items.Count <= 16 ? InsertionSorted(items, key) : [.. items.OrderBy(key, StringComparer.Ordinal)];
        var kept = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (!string.Equals(key(sorted[i]), key(sorted[kept - 1]), StringComparison.Ordinal))
            {
                sorted[kept++] = sorted[i];
            }
        }

        return kept == sorted.Length ? sorted : sorted[..kept];
    }

    private static T[] InsertionSorted<T>(IReadOnlyList<T> items, Func<T, string> key)
    {
        var sorted = new T[items.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            var item = items[i];
            var at = i;
            while (at > 0 && string.CompareOrdinal(key(sorted[at - 1]), key(item)) > 0)
            {
                sorted[at] = sorted[at - 1];
                at--;
            }

            sorted[at] = item;
        }

        return sorted;
    }

    /// <summary>The bytes to hash, in one buffer per thread that grows as needed and is reused (a scan hashes every App).</summary>
    private sealed class HashInput
    {
        // A buffer grown past this by an unusually large App is not kept for the next one.
        private const int KeptCapacity = 16 * 1024;

        [ThreadStatic]
        private static HashInput? _current;

        private byte[] _bytes = new byte[1024];
        private int _length;

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        public static HashInput ForThisThread()
        {
            var input = _current ??= new HashInput();
            input._length = 0;
            return input;
        }

        public void Release()
        {
            if (_bytes.Length > KeptCapacity)
            {
                _current = null;
            }
        }

        public void Write(byte value) => Reserve(1)[0] = value;

        public void Write(bool value) => Write(value ? (byte)1 : (byte)0);

        public void Write(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), value);

        public void Write(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);

        /// <summary>As <see cref="BinaryWriter.Write(string)"/>: the UTF-8 length in 7-bit groups, then the UTF-8 bytes.</summary>
        public void Write(string value)
        {
            var count = Encoding.UTF8.GetByteCount(value);
            var length = (uint)count;
            while (length >= 0x80)
            {
                Write((byte)(length | 0x80));
                length >>= 7;
            }

            Write((byte)length);
            Encoding.UTF8.GetBytes(value, Reserve(count));
        }

        private Span<byte> Reserve(int count)
        {
            if (_length + count > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
            }

            var span = _bytes.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }
}

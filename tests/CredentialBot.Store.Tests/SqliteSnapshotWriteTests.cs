namespace CredentialBot.Store.Tests;

/// <summary><see cref="SnapshotWriteTests"/> on SQLite, each connection its own (writers wait for the write lock).</summary>
public sealed class SqliteSnapshotWriteTests() : SnapshotWriteTests(new SqliteStore());

namespace CredentialBot.Store.Tests;

/// <summary><see cref="SnapshotWriteTests"/> on a real PostgreSQL server, where writers of one App meet on its row lock.</summary>
public sealed class PostgresSnapshotWriteTests() : SnapshotWriteTests(new PostgresStore());

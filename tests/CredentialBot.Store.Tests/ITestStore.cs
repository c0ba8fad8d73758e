using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// A fresh, migrated store of one provider (<see cref="SqliteStore"/>, <see cref="PostgresStore"/>), so the same test
/// class runs against both: write it as an abstract class over <c>TStore</c> with one sealed subclass per provider.
/// </summary>
public interface ITestStore : IAsyncLifetime
{
    StoreProvider Provider { get; }

    FakeTimeProvider Time { get; }

    string ConnectionString { get; }

    /// <summary>A new context, as the host configures it; <paramref name="logs"/> receives EF Core's log.</summary>
    CredentialBotDbContext NewContext(ILoggerFactory? logs = null);
}

using CredentialBot.TestKit.Time;

namespace CredentialBot.Store.Tests;

/// <summary>A store a test class runs against: <see cref="SqliteStore"/> or <see cref="PostgresStore"/>, so one set of tests covers both.</summary>
public interface ITestStore : IAsyncLifetime
{
    FakeTimeProvider Time { get; }

    CredentialBotDbContext NewContext();
}

using System.Reflection;
using System.Runtime.CompilerServices;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The host's real directory, for watching how a scan commits its batches. Once <see cref="Arm"/>ed, the listing
/// of app registrations stops after the first batch until that batch is committed, so at that moment the writer is
/// known to be caught up; then it goes on until the second and third batches wait in the scan's channel. A batch is
/// reported only once it is committed, so what the store holds when the second batch is reported was committed with it.
/// </summary>
internal sealed class HeldListing
{
    /// <summary>The host's Scanner:BatchSize.</summary>
    public const int BatchSize = 10;

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _listed = [];
    private volatile bool _armed;

    public IReadOnlyList<string> Listed
    {
        get
        {
            lock (_listed)
            {
                return [.. _listed];
            }
        }
    }

    /// <summary>Puts the watch in front of the host's <see cref="ITenantDirectory"/>.</summary>
    public void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(ITenantDirectory));
        services.Remove(real);
        services.AddSingleton(sp =>
        {
            var inner = (ITenantDirectory)(real.ImplementationInstance ?? real.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!));
            var proxy = DispatchProxy.Create<ITenantDirectory, Watch>();
            ((Watch)(object)proxy).Setup(inner, this);
            return proxy;
        });
    }

    /// <summary>Adds six batches of app registrations to the tenant and holds the next scan's listing, which is in full.</summary>
    public void Arm(BotHost bot)
    {
        var now = bot.Time.GetUtcNow();
        for (var i = 0; i < 6 * BatchSize; i++)
        {
            bot.Tenant.Add(new SimObject
            {
                Id = $"7c7c7c7c-0000-4000-8000-{i:D12}",
                AppId = $"7d7d7d7d-0000-4000-8000-{i:D12}",
                DisplayName = $"Listed App {i:D3}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = now,
                PasswordCredentials = [new SimCredential(Guid.NewGuid().ToString(), "s", now.AddDays(-300), now.AddDays(20), "s")],
                OwnerIds = [DemoTenant.Isaiah],
            });
        }

        bot.Tenant.ExpireDeltaTokens();
        _armed = true;
    }

    /// <summary>Scans; when the second batch of app registrations is reported, says whether the third and fourth are stored.</summary>
    public async Task<(bool ThirdBatchStored, bool FourthBatchStored)> ScanWatchingTheSecondBatchAsync(BotHost bot)
    {
        (bool, bool)? seen = null;
        var progress = new OnReport(report =>
        {
            if (report.Collection != AppKind.Application)
            {
                return;
            }

            if (report.AppsStored == BatchSize)
            {
                // The first batch is committed: let the listing go on until the second and third batches wait.
                _released.TrySetResult();
                WaitUntilListed((3 * BatchSize) + 1);
            }
            else if (report.AppsStored == 2 * BatchSize)
            {
                var listed = Listed;
                seen = (IsStored(bot, listed[(3 * BatchSize) - 1]), listed.Count >= 4 * BatchSize && IsStored(bot, listed[(4 * BatchSize) - 1]));
            }
        });

        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None, progress);
            Assert.Equal(ScanMode.Full, result.ApplicationsMode);
        }

        return seen ?? throw new InvalidOperationException("The second batch of app registrations was never reported.");
    }

    public async Task AssertEveryListedAppIsStoredAsync(BotHost bot)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<AppCatalog>();
        Assert.True(Listed.Count > 4 * BatchSize);
        foreach (var objectId in Listed)
        {
            Assert.NotNull(await catalog.GetAsync(objectId));
        }
    }

    private static bool IsStored(BotHost bot, string objectId)
    {
        using var scope = bot.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(objectId).GetAwaiter().GetResult() is not null;
    }

    /// <summary>Blocks the caller (the scan's writer, in a progress report) until <paramref name="count"/> Apps were listed.</summary>
    private void WaitUntilListed(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Listed.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the listing stopped at {Listed.Count} Apps");
            Thread.Sleep(5);
        }
    }

    private async IAsyncEnumerable<App> HoldAsync(IAsyncEnumerable<App> listing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var armed = _armed;
        await foreach (var app in listing.WithCancellation(cancellationToken))
        {
            if (armed)
            {
                if (Listed.Count == BatchSize)
                {
                    await _released.Task.WaitAsync(cancellationToken);
                }

                lock (_listed)
                {
                    _listed.Add(app.ObjectId);
                }
            }

            yield return app;
        }
    }

    private sealed class OnReport(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }

    /// <summary>Hands every call to the real directory, the listing of app registrations through <see cref="HoldAsync"/>.</summary>
#pragma warning disable CA1852 // DispatchProxy derives its proxy from this class at run time, so it cannot be sealed.
    public class Watch : DispatchProxy
#pragma warning restore CA1852
    {
        private ITenantDirectory _inner = null!;
        private HeldListing _listing = null!;

        internal void Setup(ITenantDirectory inner, HeldListing listing) => (_inner, _listing) = (inner, listing);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(ITenantDirectory.GetApplicationsAsync)
                ? _listing.HoldAsync(_inner.GetApplicationsAsync((CancellationToken)args![0]!), (CancellationToken)args[0]!)
                : targetMethod.Invoke(_inner, args);
    }
}

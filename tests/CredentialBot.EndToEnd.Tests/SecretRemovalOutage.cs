using System.Reflection;
using CredentialBot.Directory;
using CredentialBot.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The host's real Graph administration, except that removing a secret fails while <see cref="Refusing"/> is set, as
/// when Graph is unreachable right after it answered addPassword.
/// </summary>
public sealed class SecretRemovalOutage
{
    public bool Refusing { get; set; }

    /// <summary>Puts the outage in front of the host's <see cref="ITenantAdministration"/>.</summary>
    public void Install(IServiceCollection services)
    {
        services.AddSingleton<GraphTenantAdministration>();
        services.AddSingleton(sp =>
        {
            var proxy = DispatchProxy.Create<ITenantAdministration, Gate>();
            ((Gate)(object)proxy).Setup(sp.GetRequiredService<GraphTenantAdministration>(), this);
            return proxy;
        });
    }

    /// <summary>Hands every call to the real administration, but a refused removal.</summary>
    public class Gate : DispatchProxy
    {
        private ITenantAdministration _inner = null!;
        private SecretRemovalOutage _outage = null!;

        internal void Setup(ITenantAdministration inner, SecretRemovalOutage outage) => (_inner, _outage) = (inner, outage);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(ITenantAdministration.RemoveSecretAsync) && _outage.Refusing
                ? Task.FromException<bool>(new HttpRequestException("Graph did not answer"))
                : targetMethod.Invoke(_inner, args);
    }
}

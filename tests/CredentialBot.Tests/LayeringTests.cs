using System.Reflection;

namespace CredentialBot.Tests;

/// <summary>Dependencies point inward: Domain ← Directory/Store/BotFramework ← host.</summary>
public sealed class LayeringTests
{
    public static TheoryData<string, string[]> AllowedReferences => new()
    {
        { "CredentialBot.Domain", [] },
        { "CredentialBot.BotFramework", [] },
        { "CredentialBot.Simulator", [] },
        { "CredentialBot.Directory", ["CredentialBot.Domain"] },
        { "CredentialBot.Store", ["CredentialBot.Domain"] },
    };

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public void Layer_ReferencesOnlyInnerLayers(string layer, string[] allowed)
    {
        var assembly = Assembly.Load(layer);

        var ours = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("CredentialBot", StringComparison.Ordinal))
            .Order()
            .ToArray();

        Assert.Equal(allowed.Order(), ours);
    }

    [Fact]
    public void Host_ReferencesEveryLayer()
    {
        var ours = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToHashSet();

        Assert.Superset(new HashSet<string?> { "CredentialBot.Domain", "CredentialBot.BotFramework", "CredentialBot.Store", "CredentialBot.Directory" }, ours);
    }
}

namespace CredentialBot.Packaging;

/// <summary>The <c>package</c> CLI verb: <c>package [--env local] [--out appPackage/build] [--root .]</c>.</summary>
public static class AppPackageCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var environment = Option(args, "--env") ?? "local";
        var root = Option(args, "--root") ?? FindRepositoryRoot(System.IO.Directory.GetCurrentDirectory());
        if (root is null)
        {
            await output.WriteLineAsync("Could not find manifest.template.json in this folder or above it; pass --root <repository folder>.");
            return 2;
        }

        var outputDirectory = Option(args, "--out") ?? Path.Combine(root, "appPackage", "build");
        try
        {
            var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
            var zip = AppPackageBuilder.Build(root, environment, outputDirectory, variables);
            await output.WriteLineAsync($"Teams app package for '{environment}': {zip}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or FormatException)
        {
            await output.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "manifest.template.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

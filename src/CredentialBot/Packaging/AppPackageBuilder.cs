using System.IO.Compression;
using System.Text.RegularExpressions;

namespace CredentialBot.Packaging;

/// <summary>
/// Renders <c>manifest.template.json</c> for an environment and zips the Teams app package: manifest.json and the
/// two icons at the zip root, as Teams requires. Variables come from <c>appPackage/env/.env.{environment}</c>,
/// overridden by environment variables of the same name. Any placeholder without a value stops the build and is
/// named; only <c>*_SUFFIX</c> variables may be empty.
/// </summary>
public static partial class AppPackageBuilder
{
    public static readonly string[] Icons = ["color.png", "outline.png"];

    /// <summary>The variable names a template uses.</summary>
    public static IReadOnlySet<string> PlaceholdersIn(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Replaces every <c>${{NAME}}</c>, JSON-escaped; throws naming every variable that has no value.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        var missing = PlaceholdersIn(template)
            .Where(name => variables.GetValueOrDefault(name) is not { } value || (value.Length == 0 && !name.EndsWith("_SUFFIX", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The manifest needs values for: {string.Join(", ", missing)}. Set them in appPackage/env/.env.<environment> or as environment variables.");
        }

        return Placeholder().Replace(template, m => JsonEscape(variables[m.Groups[1].Value]));
    }

    /// <summary>Reads KEY=VALUE lines; blank lines and <c>#</c> comments are skipped.</summary>
    public static Dictionary<string, string> ReadEnvironmentFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, number) in File.ReadAllLines(path).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{path}, line {number}: expected KEY=VALUE.");
            }

            values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return values;
    }

    /// <summary>Writes <c>manifest.{env}.json</c> and <c>appPackage.{env}.zip</c> into <paramref name="outputDirectory"/>; returns the zip path.</summary>
    public static string Build(string repositoryRoot, string environment, string outputDirectory, IReadOnlyDictionary<string, string?>? environmentVariables = null)
    {
        var envFile = Path.Combine(repositoryRoot, "appPackage", "env", $".env.{environment}");
        if (!File.Exists(envFile))
        {
            throw new FileNotFoundException($"No environment file {envFile}; copy appPackage/env/.env.example and fill it in.");
        }

        var template = File.ReadAllText(Path.Combine(repositoryRoot, "manifest.template.json"));
        var variables = ReadEnvironmentFile(envFile);
        foreach (var name in PlaceholdersIn(template))
        {
            if (environmentVariables?.GetValueOrDefault(name) is { Length: > 0 } overridden)
            {
                variables[name] = overridden;
            }
        }

        var manifest = Render(template, variables);
        System.IO.Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, $"manifest.{environment}.json"), manifest);
        var zipPath = Path.Combine(outputDirectory, $"appPackage.{environment}.zip");
        File.Delete(zipPath);
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open()))
            {
                writer.Write(manifest);
            }

            foreach (var icon in Icons)
            {
                zip.CreateEntryFromFile(Path.Combine(repositoryRoot, "appPackage", icon), icon);
            }
        }

        return zipPath;
    }

    private static string JsonEscape(string value) =>
        System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    [GeneratedRegex(@"\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}

using System.Text.Json;
using Wheelhouse.Packaging.Dependencies;

namespace Wheelhouse.Packaging.Layout;

/// <summary>The Depends a publish tree needs, with ICU left out when the app runs with invariant globalization.</summary>
public static class PayloadDependencies
{
    public static IReadOnlyList<string> Compute(string publishDirectory, string architecture)
    {
        var set = DependencyResolver.ResolveDirectory(publishDirectory, new DependencyOptions(architecture, UsesInvariantGlobalization(publishDirectory)));
        return set.Groups.Select(g => g.ToString()).ToList();
    }

    /// <summary>True when a *.runtimeconfig.json in the tree sets System.Globalization.Invariant.</summary>
    public static bool UsesInvariantGlobalization(string publishDirectory)
    {
        foreach (var file in Directory.GetFiles(publishDirectory, "*.runtimeconfig.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (doc.RootElement.TryGetProperty("runtimeOptions", out var options)
                && options.TryGetProperty("configProperties", out var properties)
                && properties.TryGetProperty("System.Globalization.Invariant", out var invariant)
                && invariant.ValueKind == JsonValueKind.True)
            {
                return true;
            }
        }
        return false;
    }
}

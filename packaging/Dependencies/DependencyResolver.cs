using System.Globalization;
using System.Text.RegularExpressions;

namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// Computes Depends for a published tree: the NEEDED sonames (and interpreters) of its ELF files mapped through
/// <see cref="SharedLibraryTable"/>, versioned by the symbol versions they need, plus what the .NET runtime loads
/// at run time, plus the manifest's extra relations. Sonames provided by the tree itself need nothing.
/// </summary>
public static partial class DependencyResolver
{
    /// <summary>Reads every ELF file under <paramref name="directory"/> (symlinks are not followed) and resolves them.</summary>
    public static DependencySet ResolveDirectory(string directory, DependencyOptions options)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot detect dependencies: {directory} does not exist");
        }

        var files = Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(path => new FileInfo(path).LinkTarget is null && ElfReader.IsElf(path))
            .Order(StringComparer.Ordinal)
            .Select(ElfReader.Read)
            .ToList();
        return Resolve(files, options);
    }

    public static DependencySet Resolve(IReadOnlyList<ElfFile> files, DependencyOptions options)
    {
        if (!SharedLibraryTable.Architectures.TryGetValue(options.Architecture, out var machine))
        {
            throw new ArgumentException(
                $"cannot detect dependencies for architecture '{options.Architecture}': supported are {string.Join(", ", SharedLibraryTable.Architectures.Keys)}");
        }

        var problems = new List<string>();
        foreach (var file in files.Where(f => !f.IsMachine(machine)))
        {
            problems.Add($"{file.Path} is built for ELF machine {file.Machine}, not {machine} ({options.Architecture})");
        }

        var provided = new HashSet<string>(files.Select(f => Path.GetFileName(f.Path)), StringComparer.Ordinal);
        provided.UnionWith(files.Select(f => f.Soname).OfType<string>());

        var groups = new List<DependencyGroup>();
        foreach (var file in files)
        {
            var needed = file.Needed.ToList();
            if (file.Interpreter is not null)
            {
                needed.Add(Path.GetFileName(file.Interpreter));
            }

            foreach (var soname in needed.Where(s => !provided.Contains(s)))
            {
                var versions = file.NeededVersions.GetValueOrDefault(soname) ?? [];
                if (SharedLibraryTable.Glibc.Contains(soname))
                {
                    groups.Add(Versioned("libc6", versions, "GLIBC_", v => v, "2.17"));
                }
                else if (soname == "libstdc++.so.6")
                {
                    groups.Add(LibStdCxx(file, versions));
                }
                else if (soname == "libgcc_s.so.1")
                {
                    groups.Add(Versioned("libgcc-s1", versions, "GCC_", v => v, "3.0"));
                }
                else if (SharedLibraryTable.Libraries.TryGetValue(soname, out var group))
                {
                    groups.Add(group);
                }
                else if (!SharedLibraryTable.Optional.ContainsKey(soname))
                {
                    problems.Add($"{file.Path} needs {soname}, which no Debian package is known for; add it to SharedLibraryTable (packaging/Dependencies) or ship the library");
                }
            }

            var name = Path.GetFileName(file.Path);
            if (SharedLibraryTable.RuntimeLoaded.TryGetValue(name, out var loaded))
            {
                groups.AddRange(loaded);
            }

            if (name == SharedLibraryTable.GlobalizationShim && !options.InvariantGlobalization)
            {
                groups.Add(SharedLibraryTable.Icu);
            }
        }

        foreach (var extra in options.Extra ?? [])
        {
            try
            {
                groups.Add(DependencyGroup.Parse(extra));
            }
            catch (FormatException e)
            {
                problems.Add($"extra dependency: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("cannot detect dependencies: " + string.Join("; ", problems));
        }

        return DependencySet.Create(groups);
    }

    private static DependencyGroup Versioned(string package, IReadOnlyList<string> versions, string prefix, Func<string, string> map, string floor)
    {
        var highest = versions
            .Where(v => v.StartsWith(prefix, StringComparison.Ordinal) && SymbolVersion().IsMatch(v[prefix.Length..]))
            .Select(v => Versioning.DebianVersion.Parse(map(v[prefix.Length..])))
            .Append(Versioning.DebianVersion.Parse(floor))
            .Max()!;
        return DependencyGroup.Of(new PackageRelation(package, ">=", highest));
    }

    private static DependencyGroup LibStdCxx(ElfFile file, IReadOnlyList<string> versions)
    {
        var gcc = new List<Versioning.DebianVersion> { Versioning.DebianVersion.Parse("3.4") };
        foreach (var version in versions)
        {
            var (table, prefix) = version.StartsWith("GLIBCXX_3.4", StringComparison.Ordinal)
                ? (SharedLibraryTable.GlibcxxToGcc, "GLIBCXX_3.4")
                : version.StartsWith("CXXABI_1.3", StringComparison.Ordinal)
                    ? (SharedLibraryTable.CxxabiToGcc, "CXXABI_1.3")
                    : (null, "");
            if (table is null)
            {
                continue;
            }

            var rest = version[prefix.Length..];
            var minor = rest.Length == 0 ? 0 : rest[0] == '.' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            if (minor < 0 || !table.TryGetValue(minor, out var release))
            {
                throw new InvalidOperationException(
                    $"{file.Path} needs libstdc++ symbol version {version}, which SharedLibraryTable does not map to a GCC release yet; add it (see the libstdc++ ABI policy)");
            }

            gcc.Add(Versioning.DebianVersion.Parse(release));
        }

        return DependencyGroup.Of(new PackageRelation("libstdc++6", ">=", gcc.Max()!));
    }

    [GeneratedRegex(@"^\d+(\.\d+)*$")]
    private static partial Regex SymbolVersion();
}

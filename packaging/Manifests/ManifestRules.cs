using System.Text.RegularExpressions;
using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Manifests;

/// <summary>What Debian policy and our layout require of a manifest's values, beyond their shape.</summary>
internal static partial class ManifestRules
{
    private static readonly string[] Priorities = ["required", "important", "standard", "optional"];

    public static void Check(PackageManifest m, YamlMapReader map, string repositoryRoot)
    {
        if (m.Package.Length > 0 && !PackageName().IsMatch(m.Package))
        {
            map.Problem("package", $"package name '{m.Package}' is not a Debian package name (lower case letters, digits, + - . ; at least two characters, starting alphanumeric)");
        }

        if (m.Priority.Length > 0 && !Priorities.Contains(m.Priority))
        {
            map.Problem("priority", $"priority '{m.Priority}' is not one of {string.Join(", ", Priorities)}");
        }

        if (m.Maintainer.Length > 0 && !Maintainer().IsMatch(m.Maintainer))
        {
            map.Problem("maintainer", $"maintainer '{m.Maintainer}' must look like 'Full Name <address@domain>'");
        }

        if (m.Homepage is { } homepage && !homepage.StartsWith("https://", StringComparison.Ordinal))
        {
            map.Problem("homepage", $"homepage '{homepage}' must be an https:// URL");
        }

        if (m.Description.Short.Length > 80)
        {
            map.Problem("description", $"description.short is {m.Description.Short.Length} characters; Debian's synopsis must be under 80");
        }

        if (m.Description.Short.Contains('\n'))
        {
            map.Problem("description", "description.short must be one line");
        }

        CheckAbsolute(map, "install-root", m.InstallRoot);
        if (m.Architecture == ArchitectureMode.PerArch && m.Payload is null)
        {
            map.Problem("payload", "a per-arch package needs 'payload' naming the project to publish (or set 'architecture: all')");
        }

        if (m.Payload is { } payload && payload.Publish.Length > 0 && !File.Exists(Path.Combine(repositoryRoot, payload.Publish))
            && !Directory.Exists(Path.Combine(repositoryRoot, payload.Publish)))
        {
            map.Problem("payload", $"payload.publish '{payload.Publish}' does not exist under the repository root");
        }

        foreach (var binary in m.Binaries)
        {
            if (!binary.Link.StartsWith("/usr/bin/", StringComparison.Ordinal) && !binary.Link.StartsWith("/usr/sbin/", StringComparison.Ordinal))
            {
                map.Problem("binaries", $"binary link '{binary.Link}' must be in /usr/bin/ or /usr/sbin/");
            }

            if (binary.Target.StartsWith('/') || binary.Target.Split('/').Contains(".."))
            {
                map.Problem("binaries", $"binary target '{binary.Target}' must be relative to install-root, without '..'");
            }
        }
        foreach (var config in m.ConfigFiles)
        {
            if (!config.Path.StartsWith("/etc/", StringComparison.Ordinal) || config.Path.Split('/').Contains(".."))
            {
                map.Problem("config-files", $"config file '{config.Path}' must be under /etc/ (Debian policy 10.7.2)");
            }

            CheckTemplate(map, "config-files", m, config.Template);
        }
        if (m.Service is { } service)
        {
            if (!PackageName().IsMatch(service.User) && service.User.Length > 0)
            {
                map.Problem("service", $"service user '{service.User}' is not a valid system user name");
            }

            CheckAbsolute(map, "service", service.Home);
            if (!service.Unit.EndsWith(".service", StringComparison.Ordinal))
            {
                map.Problem("service", $"service.unit '{service.Unit}' must end in .service");
            }

            CheckTemplate(map, "service", m, service.Unit);
            foreach (var extra in service.ExtraUnits)
            {
                if (!extra.EndsWith(".service", StringComparison.Ordinal) && !extra.EndsWith(".timer", StringComparison.Ordinal))
                {
                    map.Problem("service", $"service.extra-units '{extra}' must end in .service or .timer");
                }

                CheckTemplate(map, "service", m, extra);
            }
        }
        foreach (var dir in m.StateDirectories)
        {
            if (!dir.StartsWith("/var/lib/", StringComparison.Ordinal))
            {
                map.Problem("state-directories", $"state directory '{dir}' must be under /var/lib/");
            }
        }

        if (m.LogDirectory is { } log && !log.StartsWith("/var/log/", StringComparison.Ordinal))
        {
            map.Problem("log-directory", $"log-directory '{log}' must be under /var/log/");
        }

        foreach (var doc in m.Docs)
        {
            if (doc.Source.Length > 0 && !File.Exists(Path.Combine(repositoryRoot, doc.Source)))
            {
                map.Problem("docs", $"doc '{doc.Source}' does not exist under the repository root");
            }
        }

        foreach (var page in m.ManPages)
        {
            if (!ManPage().IsMatch(page))
            {
                map.Problem("man-pages", $"man page '{page}' must be named <name>.<section digit>, e.g. {m.Package}.1");
            }

            CheckTemplate(map, "man-pages", m, page);
        }
        foreach (var o in m.LintianOverrides)
        {
            if (o.Reason.Contains('\n'))
            {
                map.Problem("lintian-overrides", $"the reason for overriding '{o.Tag}' must be one line");
            }
        }

        foreach (var required in TemplateSet.Required)
        {
            CheckTemplate(map, "package", m, required);
        }
    }

    private static void CheckAbsolute(YamlMapReader map, string key, string path)
    {
        if (!path.StartsWith('/') || path.Split('/').Contains("..") || path.Contains("//"))
        {
            map.Problem(key, $"'{key}' path '{path}' must be absolute and normalized");
        }
    }

    private static void CheckTemplate(YamlMapReader map, string key, PackageManifest m, string name)
    {
        if (name.Length > 0 && TemplateSet.Find(m.TemplateDirectory, name) is null)
        {
            map.Problem(key, $"template '{name}{TemplateSet.Extension}' not found in {m.TemplateDirectory} or {TemplateSet.CommonFolder}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._+-]*\.[1-9]$")]
    private static partial Regex ManPage();

    [GeneratedRegex(@"^[^<>]+ <[^<>@\s]+@[^<>@\s]+>$")]
    private static partial Regex Maintainer();
}

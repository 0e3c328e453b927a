using Cake.Frosting;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Verification;

namespace Wheelhouse.Build.Tasks;

[TaskName("verify")]
[TaskDescription("build (as deb), then dpkg-deb --info/--contents and lintian --pedantic on every .deb built; fails on any E: or W:")]
[IsDependentOn(typeof(DebTask))]
public sealed class VerifyTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var failed = new List<string>();
        foreach (var deb in context.BuiltPackages())
        {
            var result = await DebVerifier.VerifyAsync(deb);
            var tags = result.LintianOutput.Split('\n').Where(l => l.Length > 3 && l[1] == ':' && l[2] == ' ').ToList();
            context.Say($"{Path.GetFileName(deb)}: dpkg-deb reads it; lintian --pedantic: {tags.Count(t => t[0] == 'E')} errors, "
                + $"{tags.Count(t => t[0] == 'W')} warnings, {tags.Count(t => t[0] == 'P')} pedantic, {tags.Count(t => t[0] == 'I')} info");
            foreach (var tag in tags.Where(t => t[0] is 'E' or 'W' or 'P'))
            {
                context.Say("  " + tag);
            }

            if (!result.Passed)
            {
                failed.Add($"{Path.GetFileName(deb)}:\n    {string.Join("\n    ", result.Problems)}");
            }
        }
        if (failed.Count > 0 && context.Compression == DebCompression.Zstd)
        {
            failed.Add("note: bookworm's lintian cannot read zstd members; verify with --compression xz (the default) or gzip");
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException("verification failed:\n  " + string.Join("\n  ", failed));
        }

        context.Say("every package passed dpkg-deb and lintian --pedantic with no error or warning");
    }
}

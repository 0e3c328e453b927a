using System.Globalization;
using System.Text.RegularExpressions;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>systemd's own rating of the installed unit file stays at or below the agreed exposure.</summary>
public sealed partial class UnitSandboxIsTight : IProofStep
{
    public string Claim => "systemd-analyze security --offline=true rates the unit's exposure 2.0 or lower";

    /// <summary>The number in "→ Overall exposure level for x.service: 1.9 OK :-)", or null.</summary>
    public static decimal? ExposureFrom(string output) =>
        Exposure().Match(output) is { Success: true } m ? decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var unitFile = $"/usr/lib/systemd/system/{s.ServiceUnit}";
        context.Checking($"systemd-analyze security --offline=true {unitFile}");
        var result = await context.Container.ExecAsync(["systemd-analyze", "security", "--offline=true", "--no-pager", unitFile]);
        var exposure = ExposureFrom(result.StandardOutput + result.StandardError);
        context.Expect(exposure is not null, $"systemd-analyze printed no overall exposure (exit {result.ExitCode})");
        context.Log.WriteLine($"    exposure {exposure} (limit {s.MaximumExposure})");
        context.Expect(exposure <= s.MaximumExposure, $"{s.ServiceUnit} has exposure {exposure}, above {s.MaximumExposure}");
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex Exposure();
}

using System.Diagnostics;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// Runs the steps in order, each announced with its claim and timed. The first failure stops the run, after the
/// service's journal and nginx's error log are printed so the failure can be understood from the CI log alone.
/// </summary>
public sealed class ProofRunner(TextWriter log, ProofTally tally)
{
    public async Task<IReadOnlyList<(string Step, TimeSpan Took)>> RunAsync(ProofContext context, IReadOnlyList<IProofStep> steps)
    {
        var timings = new List<(string, TimeSpan)>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var name = step.GetType().Name;
            log.WriteLine($"==> [{i + 1}/{steps.Count}] {name}: {step.Claim}");
            var watch = Stopwatch.StartNew();
            try
            {
                await step.RunAsync(context);
            }
            catch (Exception ex)
            {
                tally.Fail($"{name}: {ex.Message}");
                log.WriteLine($"FAILED {name} after {watch.Elapsed.TotalSeconds:0.0} s: {ex.Message}");
                await PrintDiagnosticsAsync(context);
                throw new InstallProofException($"install proof failed at {name} ({step.Claim}): {ex.Message}", ex);
            }
            tally.Pass();
            timings.Add((name, watch.Elapsed));
            log.WriteLine($"    ok ({watch.Elapsed.TotalSeconds:0.0} s)");
        }
        return timings;
    }

    public static async Task PrintDiagnosticsAsync(ProofContext context)
    {
        context.Log.WriteLine($"---- diagnostics: journal of {context.Settings.ServiceUnit}, nginx's error log ----");
        await context.Container.ExecAsync(["journalctl", "--unit", context.Settings.ServiceUnit, "--no-pager", "--lines=200"]);
        await context.Container.ShAsync("systemctl status --no-pager --full nginx.service || true; tail -n 100 /var/log/nginx/error.log 2>/dev/null || echo 'no /var/log/nginx/error.log'");
        context.Log.WriteLine("---- end of diagnostics ----");
    }
}

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// deploy/puppet/wheelhouse, applied with Debian's puppet to a machine without our packages: the repository, the pinned
/// version, wheelhouse.json, the HTTPS site and the layout. A second run changes nothing; a changed upload limit
/// reaches the running server and nginx.
/// </summary>
public sealed class PuppetModuleDeploysAndConverges : IProofStep
{
    private const string Manifest = "/root/proof/site.pp";

    public string Claim => "puppet apply deploys the index (pinned version, TLS, layout), a second run changes nothing, a new upload limit reaches the service";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        await ConfigManagedMachine.PrepareFreshMachineAsync(context);

        context.Checking($"puppet apply installs {s.FirstVersion}, pinned although {s.UpgradeVersion} is newer (exit code 2: changes, no failure)");
        var first = await ApplyAsync(context, ConfigManagedMachine.FirstUploadLimit);
        context.Expect(first.ExitCode == 2, $"the first puppet apply exited {first.ExitCode} (2 = changes made, no failure)");
        await ConfigManagedMachine.ExpectServingAsync(context, s.FirstVersion);
        await ConfigManagedMachine.ExpectUploadLimitAsync(context, changed: false);

        context.Checking("puppet apply again changes nothing (exit code 0)");
        var second = await ApplyAsync(context, ConfigManagedMachine.FirstUploadLimit);
        context.Expect(second.ExitCode == 0, $"the second puppet apply exited {second.ExitCode} (0 = nothing to change): it is not idempotent");

        context.Checking($"max_upload_size => '{ConfigManagedMachine.ChangedUploadLimit}' is applied and reaches the running server and nginx");
        var before = await context.MainPidAsync();
        var third = await ApplyAsync(context, ConfigManagedMachine.ChangedUploadLimit);
        context.Expect(third.ExitCode == 2, $"puppet apply with the new limit exited {third.ExitCode} (2 = changes made)");
        await context.WaitForServiceAsync(active: true);
        context.Expect(await context.MainPidAsync() != before, "the server was not restarted for its new configuration");
        await context.WaitForHttpOkAsync($"{s.ServerUrl}/+status", TimeSpan.FromSeconds(30));
        await ConfigManagedMachine.ExpectUploadLimitAsync(context, changed: true);
    }

    private static async Task<ShellResult> ApplyAsync(ProofContext context, string uploadLimit)
    {
        var s = context.Settings;
        var manifest = $$"""
            class { 'wheelhouse':
              repo_url        => '{{context.RepositoryUrl}}/',
              repo_key_source => '{{ConfigManagedMachine.KeyFile}}',
              repo_suite      => '{{s.Suite}}',
              version         => '{{s.FirstVersion}}',
              max_upload_size => '{{uploadLimit}}',
            }
            class { 'wheelhouse::nginx':
              server_name         => 'localhost',
              ssl_certificate     => '{{ProofCertificates.Certificate}}',
              ssl_certificate_key => '{{ProofCertificates.Key}}',
            }
            class { 'wheelhouse::layout':
              content   => "{{ConfigManagedMachine.Layout.Replace("\n", "\\n", StringComparison.Ordinal)}}",
              passwords => { '{{ConfigManagedMachine.LayoutPasswordVariable}}' => Sensitive('{{ConfigManagedMachine.LayoutPassword}}') },
            }

            """;
        context.Container.WriteFile(Manifest, System.Text.Encoding.UTF8.GetBytes(manifest));
        var result = await context.Container.ExecAsync(["puppet", "apply", "--detailed-exitcodes", "--color=false",
            "--modulepath", $"{ConfigManagedMachine.DeployRoot}/puppet", Manifest]);
        return result;
    }
}

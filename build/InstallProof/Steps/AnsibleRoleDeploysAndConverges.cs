using System.Text.Json;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// deploy/ansible's role, run by Debian's ansible-core over its local connection on a machine without our packages:
/// the latest version, wheelhouse.json, the HTTPS site and the layout. A second run changes nothing; a changed upload
/// limit reaches the running server and nginx. The example playbook passes a syntax check.
/// </summary>
public sealed class AnsibleRoleDeploysAndConverges : IProofStep
{
    private const string Playbook = "/root/proof/playbook.yml";
    private const string Variables = "/root/proof/ansible-vars.json";

    public string Claim => "ansible-playbook (local) deploys the index (latest version, TLS, layout), a second run changes nothing, a new upload limit reaches the service";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        await ConfigManagedMachine.PrepareFreshMachineAsync(context);
        context.Container.WriteFile(Playbook, System.Text.Encoding.UTF8.GetBytes("- hosts: localhost\n  gather_facts: false\n  roles:\n    - wheelhouse\n"));

        context.Checking("the example playbook passes ansible-playbook --syntax-check");
        await context.MustShAsync("the example playbook has syntax errors",
            $"cd {ConfigManagedMachine.DeployRoot}/ansible && {Environment()} ansible-playbook --syntax-check -i localhost, playbook.yml");

        context.Checking($"ansible-playbook installs the latest version ({s.UpgradeVersion}) and reports changes, no failure");
        var first = await RunAsync(context, ConfigManagedMachine.FirstUploadLimit);
        context.Expect(first is { Failed: 0, Changed: > 0 }, $"the first run's recap is {first}");
        await ConfigManagedMachine.ExpectServingAsync(context, s.UpgradeVersion);
        await ConfigManagedMachine.ExpectUploadLimitAsync(context, changed: false);

        context.Checking("ansible-playbook again reports changed=0");
        var second = await RunAsync(context, ConfigManagedMachine.FirstUploadLimit);
        context.Expect(second is { Failed: 0, Changed: 0 }, $"the second run's recap is {second}: the role is not idempotent");

        context.Checking($"wheelhouse_max_upload_size: {ConfigManagedMachine.ChangedUploadLimit} is applied and reaches the running server and nginx");
        var before = await context.MainPidAsync();
        var third = await RunAsync(context, ConfigManagedMachine.ChangedUploadLimit);
        context.Expect(third is { Failed: 0, Changed: > 0 }, $"the run with the new limit's recap is {third}");
        await context.WaitForServiceAsync(active: true);
        context.Expect(await context.MainPidAsync() != before, "the server was not restarted for its new configuration");
        await context.WaitForHttpOkAsync($"{s.ServerUrl}/+status", TimeSpan.FromSeconds(30));
        await ConfigManagedMachine.ExpectUploadLimitAsync(context, changed: true);
    }

    private static string Environment() =>
        $"LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_ROLES_PATH={ConfigManagedMachine.DeployRoot}/ansible/roles ANSIBLE_RETRY_FILES_ENABLED=0";

    private static async Task<(int Ok, int Changed, int Failed)?> RunAsync(ProofContext context, string uploadLimit)
    {
        var variables = new Dictionary<string, object>
        {
            ["wheelhouse_repo_url"] = context.RepositoryUrl + "/",
            ["wheelhouse_repo_key_file"] = ConfigManagedMachine.KeyFile,
            ["wheelhouse_repo_suite"] = context.Settings.Suite,
            ["wheelhouse_version"] = "latest",
            ["wheelhouse_max_upload_size"] = uploadLimit,
            ["wheelhouse_nginx_server_name"] = "localhost",
            ["wheelhouse_nginx_ssl_certificate"] = ProofCertificates.Certificate,
            ["wheelhouse_nginx_ssl_certificate_key"] = ProofCertificates.Key,
            ["wheelhouse_layout"] = ConfigManagedMachine.Layout,
            ["wheelhouse_layout_passwords"] = new Dictionary<string, string> { [ConfigManagedMachine.LayoutPasswordVariable] = ConfigManagedMachine.LayoutPassword },
        };
        context.Container.WriteFile(Variables, JsonSerializer.SerializeToUtf8Bytes(variables));
        var result = await context.Container.ShAsync($"{Environment()} ansible-playbook -i localhost, -c local {Playbook} -e @{Variables}");
        var recap = ConfigManagedMachine.AnsibleRecap(result.StandardOutput);
        context.Expect(recap is not null, $"ansible-playbook exited {result.ExitCode} without a recap line");
        return recap;
    }
}

using System.Globalization;

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>Installing enabled and started the unit, and the server runs as the package's system user, not root.</summary>
public sealed class ServiceRunsAsItsOwnSystemUser : IProofStep
{
    public string Claim => "the service is enabled and active, running as its own system user";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"{s.ServiceUnit} is enabled");
        var enabled = await context.Container.ExecAsync(["systemctl", "is-enabled", s.ServiceUnit]);
        context.Expect(enabled.StandardOutput.Trim() == "enabled", $"systemctl is-enabled says '{enabled.StandardOutput.Trim()}'");
        context.Checking($"{s.ServiceUnit} is active");
        await context.WaitForServiceAsync(active: true);

        var pid = await context.MainPidAsync();
        var restarts = (await context.MustAsync("systemctl show failed", "systemctl", "show", "--property=NRestarts", "--value", s.ServiceUnit)).StandardOutput.Trim();
        context.Expect(pid != 0 && restarts == "0", $"{s.ServiceUnit} is crash-looping (main PID {pid}, {restarts} restarts); its journal follows");
        context.Checking($"its main process (pid {pid}) runs as {s.ServiceUser}");
        var owner = await context.MustAsync("cannot read the process owner", "ps", "-o", "user=", "-p", pid.ToString(CultureInfo.InvariantCulture));
        context.Expect(owner.StandardOutput.Trim() == s.ServiceUser, $"the server runs as '{owner.StandardOutput.Trim()}', not {s.ServiceUser}");

        context.Checking($"{s.ServiceUser} is a system account (uid below 1000, no login shell)");
        var passwd = (await context.MustAsync($"user {s.ServiceUser} does not exist", "getent", "passwd", s.ServiceUser)).StandardOutput.Trim().Split(':');
        var uid = int.Parse(passwd[2], CultureInfo.InvariantCulture);
        context.Expect(uid is > 0 and < 1000, $"{s.ServiceUser} has uid {uid}; a system user has one below 1000");
        context.Expect(passwd[6] is "/usr/sbin/nologin" or "/bin/false", $"{s.ServiceUser} has the login shell {passwd[6]}");

        context.Checking($"{s.DataDirectory} belongs to {s.ServiceUser} with mode {s.DataDirectoryMode}: others may only traverse it (to the served tree)");
        var stat = (await context.MustAsync("cannot stat the data directory", "stat", "-c", "%U %a", s.DataDirectory)).StandardOutput.Trim().Split(' ');
        context.Expect(stat[0] == s.ServiceUser, $"{s.DataDirectory} belongs to {stat[0]}");
        context.Expect(stat[1] == s.DataDirectoryMode, $"{s.DataDirectory} has mode {stat[1]}, expected {s.DataDirectoryMode}");
    }
}

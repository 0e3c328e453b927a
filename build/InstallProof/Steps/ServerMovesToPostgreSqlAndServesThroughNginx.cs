namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// The packaged server on PostgreSQL: Debian's postgresql in the container (its own cluster, started by systemd), a
/// role and a database made for it, the installation so far moved there with <c>migrate-storage</c> as the service
/// user, and the service pointed at it by a unit drop-in (storage.* from the environment, the password from a file only
/// its group reads). Through nginx it serves the same simple page and release file as before and takes a write, which
/// lands in PostgreSQL. The drop-in is removed afterwards, so later steps see the plain package on SQLite.
/// </summary>
public sealed class ServerMovesToPostgreSqlAndServesThroughNginx : IProofStep
{
    private const string Database = "wheelhouse";
    private const string Role = "wheelhouse";
    private const string PasswordFile = "/etc/wheelhouse-server/db-password";
    private const string DropIn = "/etc/systemd/system/wheelhouse-server.service.d/postgresql.conf";
    private const string ConnectionString = "Host=127.0.0.1;Port=5432;Database=" + Database + ";Username=" + Role;

    public string Claim => "the installation moves to PostgreSQL with migrate-storage and serves the same pages through nginx";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var site = s.NginxUrl;
        var user = TwineUploadsAndPipInstallsThroughNginx.User;
        var index = TwineUploadsAndPipInstallsThroughNginx.Index;
        var page = $"{site}/{user}/{index}/+simple/{TestWheel.Default.Project}/";

        context.Checking("Debian's PostgreSQL cluster runs in the container; a role and a database are made for the server");
        await context.MustShAsync("PostgreSQL is not ready", "for i in $(seq 60); do runuser -u postgres -- pg_isready -q && exit 0; sleep 0.5; done; exit 1");
        // Not echoed: a password stays out of the log, even a throwaway container's.
        const string password = "proof-db-password-7";
        (await context.Container.ShAsync($"runuser -u postgres -- psql -v ON_ERROR_STOP=1 -c \"CREATE ROLE {Role} LOGIN PASSWORD '{password}'\" "
            + $"-c \"CREATE DATABASE {Database} OWNER {Role}\" && printf '%s\\n' '{password}' > {PasswordFile} && chgrp {s.ServiceUser} {PasswordFile} "
            + $"&& chmod 0640 {PasswordFile}", echo: false)).EnsureSuccess("cannot make the role, the database or the password file");

        // The step before restarted the service: it may not listen yet.
        var before = await context.WaitForHttpOkAsync(page, TimeSpan.FromSeconds(30));
        context.Expect(before.Status == 200, $"before the move, {page} answered {before.Status}");

        context.Checking("with the service stopped, migrate-storage as the service user copies everything and checks the copy");
        await context.MustAsync("cannot stop the service", "systemctl", "stop", s.ServiceUnit);
        var migrated = await context.MustAsync("migrate-storage failed", "runuser", "-u", s.ServiceUser, "--", "wheelhouse-server", "migrate-storage",
            "--config", s.ServerConfigFile, "--to", "postgresql", "--connection-string", ConnectionString, "--password-file", PasswordFile);
        context.Expect(migrated.StandardOutput.Contains("passes 'check'", StringComparison.Ordinal) && !migrated.StandardOutput.Contains(password, StringComparison.Ordinal),
            $"migrate-storage said:\n{migrated.StandardOutput}{migrated.StandardError}");

        context.Checking($"the service runs on PostgreSQL (WHEELHOUSE_STORAGE_* in {DropIn})");
        await context.MustShAsync("cannot install the drop-in", $"mkdir -p {Path.GetDirectoryName(DropIn)} && printf '[Service]\\n"
            + $"Environment=WHEELHOUSE_STORAGE_KIND=postgresql\\nEnvironment=\"WHEELHOUSE_STORAGE_CONNECTION_STRING={ConnectionString}\"\\n"
            + $"Environment=WHEELHOUSE_STORAGE_PASSWORD_FILE={PasswordFile}\\n' > {DropIn} && systemctl daemon-reload && systemctl start {s.ServiceUnit}");
        try
        {
            await context.WaitForServiceAsync(active: true);
            await context.WaitForHttpOkAsync($"{site}/+api", TimeSpan.FromSeconds(30));

            context.Checking($"through nginx, {page} is the page it was, and its release file still serves its sha256");
            var after = await context.HttpAsync("GET", page);
            context.Expect(after.Status == 200 && after.Body == before.Body, $"after the move, {page} answered {after.Status}:\n{after.Body}\nbefore:\n{before.Body}");
            await TwineUploadsAndPipInstallsThroughNginx.ExpectFileAsync(context, $"{site}{context.Facts["file-path"]}", context.Facts["file-sha256"]);

            context.Checking($"a write through nginx (PUT {site}/{user}/onpostgres) lands in PostgreSQL");
            var created = await context.HttpAsync("PUT", $"{site}/{user}/onpostgres", ["--header", "Content-Type: application/json", "--header",
                "Accept: application/json", "--data", "{\"type\": \"stage\", \"bases\": []}", "--user", $"{user}:{TwineUploadsAndPipInstallsThroughNginx.Password}"], echo: false);
            context.Expect(created.Status is 200 or 201, $"creating {user}/onpostgres answered {created.Status}: {created.Body}");
            var rows = await context.MustAsync("cannot query PostgreSQL", "runuser", "-u", "postgres", "--", "psql", "-tA", "-d", Database,
                "-c", "SELECT count(*) FROM indexes WHERE name = 'onpostgres'");
            context.Expect(rows.StandardOutput.Trim() == "1", $"PostgreSQL holds {rows.StandardOutput.Trim()} rows for the new index, expected 1");
        }
        finally
        {
            await context.MustShAsync("cannot remove the drop-in", $"rm -f {DropIn} && systemctl daemon-reload && systemctl restart {s.ServiceUnit}");
            await context.WaitForServiceAsync(active: true);
        }
    }
}

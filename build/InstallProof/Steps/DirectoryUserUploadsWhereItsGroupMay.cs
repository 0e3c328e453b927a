namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// Directory log-in as shipped: a slapd in the container (its own configuration and port, not the package's service),
/// the packaged server pointed at it with --ldap-config's variable in a unit drop-in, and through nginx a directory
/// user logs in and twine uploads as that user into an index whose acl_upload names the user's directory group; a
/// directory user outside the group gets 403. The drop-in is removed afterwards, so later steps see the plain package.
/// </summary>
public sealed class DirectoryUserUploadsWhereItsGroupMay : IProofStep
{
    private const string Work = "/root/ldap-proof";
    private const string Port = "3899";
    private const string Base = "dc=proof,dc=example";
    private const string LdapConfig = "/etc/wheelhouse-server/ldap.yaml";
    private const string DropIn = "/etc/systemd/system/wheelhouse-server.service.d/ldap.conf";

    public string Claim => "a directory user logs in, twine uploads where its group may and a user outside the group gets 403";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var site = s.NginxUrl;
        context.Checking($"slapd on 127.0.0.1:{Port} with users ada (group uploaders) and ben (no group)");
        context.Container.WriteFile($"{Work}/slapd.conf", System.Text.Encoding.UTF8.GetBytes($"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            pidfile {Work}/slapd.pid
            database mdb
            suffix "{Base}"
            rootdn "cn=admin,{Base}"
            rootpw admin-pw
            directory {Work}/db

            """));
        context.Container.WriteFile($"{Work}/seed.ldif", System.Text.Encoding.UTF8.GetBytes($"""
            dn: {Base}
            objectClass: dcObject
            objectClass: organization
            o: Proof
            dc: proof

            dn: ou=people,{Base}
            objectClass: organizationalUnit
            ou: people

            dn: uid=ada,ou=people,{Base}
            objectClass: inetOrgPerson
            uid: ada
            cn: Ada
            sn: A
            userPassword: ada-directory-pw

            dn: uid=ben,ou=people,{Base}
            objectClass: inetOrgPerson
            uid: ben
            cn: Ben
            sn: B
            userPassword: ben-directory-pw

            dn: cn=uploaders,{Base}
            objectClass: groupOfNames
            cn: uploaders
            member: uid=ada,ou=people,{Base}

            """));
        await context.MustShAsync("slapd did not start", $"mkdir -p {Work}/db && slapd -f {Work}/slapd.conf -h ldap://127.0.0.1:{Port}/ "
            + $"&& for i in $(seq 50); do ldapsearch -x -H ldap://127.0.0.1:{Port} -b '' -s base >/dev/null 2>&1 && break; sleep 0.2; done");
        await context.MustAsync("seeding slapd failed", "ldapadd", "-x", "-H", $"ldap://127.0.0.1:{Port}", "-D", $"cn=admin,{Base}", "-w", "admin-pw", "-f", $"{Work}/seed.ldif");

        context.Checking($"the service reads devpi-ldap's format from {LdapConfig} (WHEELHOUSE_LDAP_CONFIG in a drop-in) and restarts");
        context.Container.WriteFile(LdapConfig, System.Text.Encoding.UTF8.GetBytes($$"""
            devpi-ldap:
              url: ldap://127.0.0.1:{{Port}}
              timeout: 5
              user_template: uid={username},ou=people,{{Base}}
              group_search:
                base: {{Base}}
                filter: (&(objectClass=groupOfNames)(member={userdn}))
                attribute_name: cn

            """));
        await context.MustShAsync("cannot install the drop-in", $"chgrp {s.ServiceUser} {LdapConfig} && chmod 0640 {LdapConfig} && mkdir -p {Path.GetDirectoryName(DropIn)} "
            + $"&& printf '[Service]\\nEnvironment=WHEELHOUSE_LDAP_CONFIG={LdapConfig}\\n' > {DropIn} && systemctl daemon-reload && systemctl restart {s.ServiceUnit}");
        try
        {
            await context.WaitForServiceAsync(active: true);
            await context.WaitForHttpOkAsync($"{site}/+api", TimeSpan.FromSeconds(30));

            context.Checking("wheelhouse-server ldap check ada --password-stdin, as the service user, finds the DN and the group");
            var check = await context.MustShAsync("ldap check failed", $"echo ada-directory-pw | runuser -u {s.ServiceUser} -- wheelhouse-server ldap check ada --password-stdin --ldap-config {LdapConfig}");
            context.Expect(check.StandardOutput.Contains("groups: uploaders", StringComparison.Ordinal), $"ldap check printed no group uploaders:\n{check.StandardOutput}");

            context.Checking($"root creates root/ldapteam with acl_upload [\":uploaders\"]; ada logs in through nginx (POST {site}/+login)");
            // Not echoed: a password stays out of the log, even a throwaway container's.
            var rootPassword = (await context.Container.ExecAsync(["cat", $"{s.DataDirectory}/root-password"], echo: false))
                .EnsureSuccess("cannot read root's password").StandardOutput.Trim();
            var index = await context.HttpAsync("PUT", $"{site}/root/ldapteam", [.. Json("{\"type\": \"stage\", \"bases\": [], \"acl_upload\": [\":uploaders\"]}"), "--user", $"root:{rootPassword}"], echo: false);
            context.Expect(index.Status is 200 or 201, $"creating root/ldapteam answered {index.Status}: {index.Body}");
            var login = await context.HttpAsync("POST", $"{site}/+login", Json("{\"user\": \"ada\", \"password\": \"ada-directory-pw\"}"), echo: false);
            context.Expect(login.Status == 200 && login.Body.Contains("\"password\"", StringComparison.Ordinal), $"ada's log-in answered {login.Status}: {login.Body}");

            var wheel = TestWheel.Default;
            context.Container.WriteFile($"{Work}/{wheel.FileName}", wheel.Build());
            context.Checking($"twine uploads {wheel.FileName} to {site}/root/ldapteam/ as ada (Basic auth with the directory password)");
            await context.MustAsync("twine upload as ada failed", "twine", "upload", "--non-interactive", "--disable-progress-bar",
                "--repository-url", $"{site}/root/ldapteam/", "--username", "ada", "--password", "ada-directory-pw", $"{Work}/{wheel.FileName}");

            context.Checking("twine as ben (a directory user outside uploaders) is refused with 403");
            var ben = await context.Container.ExecAsync(["twine", "upload", "--non-interactive", "--disable-progress-bar",
                "--repository-url", $"{site}/root/ldapteam/", "--username", "ben", "--password", "ben-directory-pw", $"{Work}/{wheel.FileName}"]);
            var said = ben.StandardOutput + ben.StandardError;
            context.Expect(ben.ExitCode != 0 && said.Contains("403", StringComparison.Ordinal), $"twine as ben exited {ben.ExitCode} without a 403:\n{said}");
        }
        finally
        {
            await context.MustShAsync("cannot remove the drop-in", $"rm -f {DropIn} {LdapConfig} && systemctl daemon-reload && systemctl restart {s.ServiceUnit} "
                + $"&& kill $(cat {Work}/slapd.pid)");
            await context.WaitForServiceAsync(active: true);
        }
    }

    private static string[] Json(string body) => ["--header", "Content-Type: application/json", "--header", "Accept: application/json", "--data", body];
}

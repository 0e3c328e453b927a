namespace Wheelhouse.Build.InstallProof;

/// <summary>The facts of the packages under test that the steps check against (names, paths, ports).</summary>
public sealed record ProofSettings
{
    public string ServerPackage { get; init; } = "wheelhouse-server";
    public string NginxPackage { get; init; } = "wheelhouse-nginx";
    public string ServiceUnit { get; init; } = "wheelhouse-server.service";
    public string ServiceUser { get; init; } = "wheelhouse-server";
    public string ServerConfigFile { get; init; } = "/etc/wheelhouse-server/wheelhouse.json";
    public string DataDirectory { get; init; } = "/var/lib/wheelhouse-server";

    /// <summary>The data directory's mode: others may traverse it to the served tree, not list or write it.</summary>
    public string DataDirectoryMode { get; init; } = "711";

    public string DatabaseFileName { get; init; } = "wheelhouse.sqlite";
    public string NginxSite { get; init; } = "/etc/nginx/sites-available/wheelhouse";
    public string NginxSiteLink { get; init; } = "/etc/nginx/sites-enabled/wheelhouse";

    /// <summary>The server's own address (the package's default config).</summary>
    public string ServerUrl { get; init; } = "http://127.0.0.1:4040";

    /// <summary>nginx's address for the site: the host name it answers to, over HTTPS (port 80 redirects there).</summary>
    public string NginxUrl { get; init; } = "https://localhost";

    /// <summary>The same site over plain HTTP, which only redirects.</summary>
    public string NginxHttpUrl { get; init; } = "http://localhost";

    public string ClientConfigPackage { get; init; } = "wheelhouse-client-config";

    /// <summary>This checkout's deploy/ (the Puppet module and the Ansible role), copied into the container.</summary>
    public required string DeployDirectory { get; init; }

    /// <summary>The repository's suite and component, as the apt source line names them.</summary>
    public string Suite { get; init; } = "stable";
    public string Component { get; init; } = "main";

    /// <summary>The repository's public key (binary OpenPGP keyring) on the host.</summary>
    public required string KeyringFile { get; init; }

    /// <summary>The version installed first and the one upgraded to.</summary>
    public required string FirstVersion { get; init; }
    public required string UpgradeVersion { get; init; }

    /// <summary>Highest acceptable `systemd-analyze security` exposure for the unit.</summary>
    public decimal MaximumExposure { get; init; } = 2.0m;
}

# @summary Installs and configures the Wheelhouse package index server from its signed apt repository.
#
# Adds the apt repository with its key (signed-by, no apt-key), installs wheelhouse-server at a pinned version or the
# latest, writes /etc/wheelhouse-server/wheelhouse.json from the parameters below and keeps the service running,
# restarting it when the configuration changes. Declare wheelhouse::nginx for the HTTPS site in front of it and
# wheelhouse::layout for the team layout. Applying it again changes nothing.
#
# @example A pinned server behind nginx with the company certificate, a team layout and an egress proxy
#   class { 'wheelhouse':
#     repo_url        => 'https://apt.example.com/',
#     repo_key_source => 'puppet:///modules/profile/wheelhouse-archive-keyring.gpg',
#     version         => '1.4.0-1',
#     outside_url     => 'https://pypi.example.com/',
#     max_upload_size => '512M',
#     mirror_proxy    => 'http://proxy.example.com:3128',
#   }
#   class { 'wheelhouse::nginx':
#     server_name         => 'pypi.example.com',
#     ssl_certificate     => '/etc/ssl/certs/pypi.example.com.pem',
#     ssl_certificate_key => '/etc/ssl/private/pypi.example.com.key',
#   }
#   class { 'wheelhouse::layout':
#     content   => file('profile/wheelhouse-layout.yaml'),
#     passwords => { 'WHEELHOUSE_PASSWORD_TEAM_A' => Sensitive('...') },
#   }
#
# @param repo_url
#   The apt repository the build publishes (artifacts/apt/ served by any web server), e.g. https://apt.example.com/.
# @param repo_key_source
#   Where the repository's public key (binary OpenPGP keyring, wheelhouse-archive-keyring.gpg) comes from: any `source`
#   a file resource takes (puppet:///..., file:///..., https://...). Installed as $repo_keyring.
# @param repo_keyring
#   Where the key is installed; the source line names it with signed-by, so it vouches for this repository only.
# @param repo_suite
#   The apt suite the repository was published into (./build.sh --suite; default stable).
# @param repo_component
#   The repository's component (main).
# @param version
#   The package version: 'latest' (upgrade whenever the repository has a newer one), 'installed' (whatever is there or
#   the newest on first install) or an exact Debian version such as '1.4.0-1' (pinned; also downgrades).
# @param host
#   Address the server listens on (wheelhouse.json `host`). Keep 127.0.0.1 behind nginx.
# @param port
#   Port the server listens on (`port`); wheelhouse::nginx proxies to host:port.
# @param data_dir
#   The data directory (`dataDir`): database, release files, generated root password. wheelhouse::nginx serves
#   <data_dir>/+f-tree. A directory other than the package's must exist with mode 0711 owned by wheelhouse-server.
# @param outside_url
#   The URL clients use (`outsideUrl`), for links when no proxy sends X-Outside-URL; undef: taken from the request.
# @param max_upload_size
#   Largest accepted release file (`maxUploadSize`, bytes or with K/M/G, e.g. '512M'); wheelhouse::nginx takes the
#   same limit for client_max_body_size unless given its own.
# @param log_level
#   Trace, Debug, Information, Warning, Error, Critical or None (`logLevel`).
# @param mirror_proxy
#   Forward proxy for mirror traffic (`mirrorProxy`), e.g. 'http://proxy.example.com:3128' (user:password@ allowed;
#   the file is then readable by root and the service only); 'none' ignores https_proxy/http_proxy; undef: the
#   service's environment decides.
# @param mirror_no_proxy
#   Hosts mirrors reach directly (`mirrorNoProxy`), e.g. ['pypi.internal.example.com']; empty: no_proxy decides.
# @param settings
#   Further wheelhouse.json keys without a parameter of their own (for example the storage or directory log-in keys of
#   the server version you run), written as given. A key the server does not know stops it with a message naming it.
# @param service_ensure
#   'running' or 'stopped'.
# @param service_enable
#   Whether the service starts at boot.
class wheelhouse (
  String[1] $repo_url,
  String[1] $repo_key_source,
  Pattern[/\A\/\S+\z/] $repo_keyring = '/usr/share/keyrings/wheelhouse-archive-keyring.gpg',
  Pattern[/\A[a-z0-9][a-z0-9.+-]*\z/] $repo_suite = 'stable',
  Pattern[/\A[a-z0-9][a-z0-9.+-]*\z/] $repo_component = 'main',
  Pattern[/\A(latest|installed|[0-9][A-Za-z0-9.+~:-]*)\z/] $version = 'installed',
  Pattern[/\A[^\s"\\]+\z/] $host = '127.0.0.1',
  Integer[1, 65535] $port = 4040,
  Pattern[/\A\/[^\s"\\]*\z/] $data_dir = '/var/lib/wheelhouse-server',
  Optional[Pattern[/\Ahttps?:\/\/[^\s"\\?]+\z/]] $outside_url = undef,
  Pattern[/\A[0-9]+[KMGkmg]?\z/] $max_upload_size = '512M',
  Enum['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None'] $log_level = 'Information',
  Optional[Pattern[/\A(none|(http|socks4|socks4a|socks5):\/\/[^\s"\\]+)\z/]] $mirror_proxy = undef,
  Array[Pattern[/\A[^\s,"\\]+\z/]] $mirror_no_proxy = [],
  Hash[Pattern[/\A[a-zA-Z]+\z/], Variant[Pattern[/\A[^"\\]*\z/], Integer, Boolean]] $settings = {},
  Enum['running', 'stopped'] $service_ensure = 'running',
  Boolean $service_enable = true,
) {
  $config_file = '/etc/wheelhouse-server/wheelhouse.json'

  file { $repo_keyring:
    ensure => file,
    source => $repo_key_source,
    owner  => 'root',
    group  => 'root',
    mode   => '0644',
  }

  file { '/etc/apt/sources.list.d/wheelhouse.list':
    ensure  => file,
    content => "# Managed by Puppet (class wheelhouse)\ndeb [signed-by=${repo_keyring}] ${repo_url} ${repo_suite} ${repo_component}\n",
    owner   => 'root',
    group   => 'root',
    mode    => '0644',
    require => File[$repo_keyring],
    notify  => Exec['wheelhouse apt-get update'],
  }

  # Only when the source changed; otherwise the package resource below works from apt's lists as they are.
  exec { 'wheelhouse apt-get update':
    command     => '/usr/bin/apt-get -o DPkg::Lock::Timeout=600 update',
    refreshonly => true,
    timeout     => 600,
  }

  package { 'wheelhouse-server':
    ensure  => $version,
    require => Exec['wheelhouse apt-get update'],
  }

  file { $config_file:
    ensure  => file,
    content => epp('wheelhouse/wheelhouse.json.epp', {
      'host'            => $host,
      'port'            => $port,
      'data_dir'        => $data_dir,
      'outside_url'     => $outside_url,
      'max_upload_size' => $max_upload_size,
      'log_level'       => $log_level,
      'mirror_proxy'    => $mirror_proxy,
      'mirror_no_proxy' => $mirror_no_proxy,
      'settings'        => $settings,
    }),
    owner   => 'root',
    group   => 'wheelhouse-server',
    mode    => '0640',
    require => Package['wheelhouse-server'],
  }

  service { 'wheelhouse-server':
    ensure    => $service_ensure,
    enable    => $service_enable,
    subscribe => [Package['wheelhouse-server'], File[$config_file]],
  }
}

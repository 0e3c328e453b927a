# @summary The wheelhouse-nginx site in front of the server: HTTPS with your certificate, HTTP redirected to it.
#
# Installs wheelhouse-nginx (the same version as wheelhouse-server), writes its site
# /etc/nginx/sites-available/wheelhouse from the parameters below (the package's own site, rendered with them: Mozilla
# "intermediate" TLS, HSTS, release files served from the server's data directory), keeps it enabled and reloads
# nginx when it changes, after `nginx -t` accepts it. nginx's default site is left alone.
#
# @example
#   class { 'wheelhouse::nginx':
#     server_name         => 'pypi.example.com',
#     ssl_certificate     => '/etc/ssl/certs/pypi.example.com.pem',
#     ssl_certificate_key => '/etc/ssl/private/pypi.example.com.key',
#   }
#
# @param server_name
#   The host name(s) clients use, space-separated (nginx server_name), e.g. 'pypi.example.com'.
# @param ssl_certificate
#   The certificate nginx presents (full chain, PEM). The default, Debian's snake-oil pair from ssl-cert, works for a
#   first start but no client trusts it.
# @param ssl_certificate_key
#   Its private key (PEM), readable by root.
# @param http_port
#   Port of the plain HTTP server, which only redirects to HTTPS (and answers ACME's HTTP challenge from /var/www/html).
# @param https_port
#   Port of the HTTPS server.
# @param upstreams
#   The wheelhouse-server nodes nginx spreads requests over, as 'host:port' (passive health checks; only idempotent
#   requests are retried on another node). By default the local server (wheelhouse::host and wheelhouse::port).
#   Several nodes share one PostgreSQL database and one data directory: see the README's "Several nodes".
# @param max_upload_size
#   Largest request body nginx passes on (client_max_body_size); by default the server's own limit
#   (wheelhouse::max_upload_size), so both refuse the same uploads.
class wheelhouse::nginx (
  Pattern[/\A[^\s;{}'"][^;{}'"]*\z/] $server_name = 'localhost',
  Pattern[/\A\/[^\s;{}'"]+\z/] $ssl_certificate = '/etc/ssl/certs/ssl-cert-snakeoil.pem',
  Pattern[/\A\/[^\s;{}'"]+\z/] $ssl_certificate_key = '/etc/ssl/private/ssl-cert-snakeoil.key',
  Integer[1, 65535] $http_port = 80,
  Integer[1, 65535] $https_port = 443,
  Optional[Pattern[/\A[0-9]+[KMGkmg]?\z/]] $max_upload_size = undef,
  Optional[Array[Pattern[/\A[^\s;{}'"]+:[0-9]+\z/], 1]] $upstreams = undef,
) {
  include wheelhouse

  $site = '/etc/nginx/sites-available/wheelhouse'
  $upload_limit = $max_upload_size ? {
    undef   => $wheelhouse::max_upload_size,
    default => $max_upload_size,
  }

  $nodes = $upstreams ? {
    undef   => ["${wheelhouse::host}:${wheelhouse::port}"],
    default => $upstreams,
  }

  package { 'wheelhouse-nginx':
    ensure  => $wheelhouse::version,
    require => Package['wheelhouse-server'],
  }

  file { $site:
    ensure  => file,
    content => epp('wheelhouse/nginx-site.conf.epp', {
      'server_name'         => $server_name,
      'ssl_certificate'     => $ssl_certificate,
      'ssl_certificate_key' => $ssl_certificate_key,
      'http_port'           => String($http_port),
      'https_port'          => String($https_port),
      'max_upload_size'     => $upload_limit,
      'upstreams'           => $nodes,
      'served_tree'         => "${wheelhouse::data_dir}/+f-tree",
    }),
    owner   => 'root',
    group   => 'root',
    mode    => '0644',
    require => Package['wheelhouse-nginx'],
    notify  => Exec['wheelhouse nginx reload'],
  }

  file { '/etc/nginx/sites-enabled/wheelhouse':
    ensure  => link,
    target  => '../sites-available/wheelhouse',
    require => File[$site],
    notify  => Exec['wheelhouse nginx reload'],
  }

  service { 'nginx':
    ensure  => running,
    enable  => true,
    require => Package['wheelhouse-nginx'],
  }

  # A reload, not a restart, and only with a configuration nginx accepts: a bad edit must not take the site down.
  exec { 'wheelhouse nginx reload':
    command     => '/usr/sbin/nginx -t -q && /usr/bin/systemctl reload nginx.service',
    provider    => shell,
    refreshonly => true,
    require     => Service['nginx'],
  }
}

# @summary Applies a team layout (users and indexes, YAML) to the server, again whenever the file changes.
#
# Writes the layout to $path and runs `wheelhouse-server layout apply` as the service user when it changed; the running
# server takes the change in on its next request. A layout creates or updates what it lists and nothing else, and
# applying it again changes nothing (see /usr/share/doc/wheelhouse-server/examples/department-layout.yaml).
#
# @example
#   class { 'wheelhouse::layout':
#     content   => file('profile/wheelhouse-layout.yaml'),
#     passwords => { 'WHEELHOUSE_PASSWORD_TEAM_A' => Sensitive(lookup('wheelhouse::team_a_password')) },
#   }
#
# @param content
#   The layout file's text (version: 1, users:, indexes:), e.g. from file() or a template. Give it or $source.
# @param source
#   Where to copy the layout from instead (puppet:///..., file:///...).
# @param path
#   Where the layout is kept on the machine (readable by root and the service user only).
# @param passwords
#   The variables the layout's password_env names, with their values (Sensitive, so they stay out of reports and
#   logs). Used only when the layout creates a user; an existing user's password is never changed by a layout.
class wheelhouse::layout (
  Optional[String[1]] $content = undef,
  Optional[String[1]] $source = undef,
  Pattern[/\A\/\S+\z/] $path = '/etc/wheelhouse-server/layout.yaml',
  Hash[Pattern[/\AWHEELHOUSE_PASSWORD_[A-Z0-9_]+\z/], Variant[String, Sensitive[String]]] $passwords = {},
) {
  include wheelhouse

  if ($content == undef) == ($source == undef) {
    fail('wheelhouse::layout: give the layout as either content or source (exactly one of them)')
  }

  file { $path:
    ensure    => file,
    content   => $content,
    source    => $source,
    owner     => 'root',
    group     => 'wheelhouse-server',
    mode      => '0640',
    require   => Package['wheelhouse-server'],
    show_diff => false,
  }

  $environment = $passwords.map |$name, $value| {
    "${name}=${value.unwrap}"
  }

  exec { 'wheelhouse layout apply':
    command     => "/usr/sbin/runuser -u wheelhouse-server -- /usr/bin/wheelhouse-server layout apply --config ${wheelhouse::config_file} ${path}",
    environment => $environment,
    refreshonly => true,
    logoutput   => on_failure,
    subscribe   => File[$path],
    require     => Service['wheelhouse-server'],
  }
}

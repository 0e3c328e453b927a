using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// <c>ldap check NAME</c>: one log-in against the configured directory, step by step with times, to debug a
/// configuration (devpi-ldap's <c>devpi-ldap</c> script does the same). The password is never printed.
/// </summary>
public static class LdapCheck
{
    public const int Refused = 1;
    public const int Unavailable = 69; // EX_UNAVAILABLE

    public static int Run(LdapSettings settings, string user, string password, TextWriter output)
    {
        using var directory = new LdapDirectory(settings, NullLogger<LdapDirectory>.Instance);
        var trace = new List<DirectoryStep>();
        var clock = Stopwatch.StartNew();
        var answer = directory.Authenticate(user, password, trace);
        clock.Stop();
        output.WriteLine($"configuration: {settings.Source}");
        output.WriteLine($"servers: {string.Join(", ", settings.Servers.Select(s => s.Url + (s.StartTls ? " (StartTLS)" : "")))}");
        foreach (var step in trace)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step.Name,-22} {step.Elapsed.TotalMilliseconds,8:F1} ms  {step.Detail}"));
        }
        var total = clock.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        switch (answer.Kind)
        {
            case DirectoryAnswerKind.Accepted:
                output.WriteLine($"result: {user} logged in as {answer.Dn} in {total} ms");
                output.WriteLine($"groups: {(answer.Groups.Count == 0 ? "(none)" : string.Join(", ", answer.Groups))}");
                return 0;
            case DirectoryAnswerKind.Unavailable:
                output.WriteLine($"result: directory unavailable after {total} ms: {answer.Reason}");
                return Unavailable;
            default:
                output.WriteLine($"result: refused after {total} ms (unknown user, wrong or empty password: clients are told no more)");
                return Refused;
        }
    }

    /// <summary>The password: the first line of standard input, or typed on the terminal without echo.</summary>
    public static string ReadPassword(bool fromStdin)
    {
        if (fromStdin || Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? "";
        }
        Console.Error.Write("Password: ");
        var password = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}

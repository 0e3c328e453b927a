using System.Diagnostics;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests;

/// <summary>The executable's commands and exit codes, run as a real process.</summary>
[Integration]
public sealed class CommandLineProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        info.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHEELHOUSE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        if (Array.IndexOf(args, "--data-dir") is var at and >= 0)
        {
            foreach (var (key, value) in Wheelhouse.Testing.Postgres.TestStorage.Environment(Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(args[at + 1])))
            {
                info.Environment[key] = value; // the backend under test
            }
        }
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private string Config(string json)
    {
        var path = Path.Combine(_dir, "wheelhouse.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("version")]
    [InlineData("--version")]
    public async Task Version_prints_the_stamped_version(string command)
    {
        var stamped = typeof(Program).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        var (code, stdout, _) = await RunAsync(command);
        code.Should().Be(0);
        stdout.Trim().Should().Be(stamped);
    }

    [Fact]
    public async Task Unknown_command_exits_2_with_a_hint()
    {
        var (code, _, err) = await RunAsync("launch");
        code.Should().Be(2);
        err.Should().Contain("unknown command 'launch'").And.Contain("--help");
    }

    [Fact]
    public async Task Unknown_option_exits_2()
    {
        var (code, _, err) = await RunAsync("serve", "--colour", "red");
        code.Should().Be(2);
        err.Should().Contain("unknown option '--colour'");
    }

    [Fact]
    public async Task Help_lists_commands_and_options()
    {
        var (code, output, _) = await RunAsync("--help");
        code.Should().Be(0);
        output.Should().Contain("serve").And.Contain("init").And.Contain("--data-dir").And.Contain("WHEELHOUSE_DATA_DIR");
    }

    [Fact]
    public async Task Invalid_configuration_names_every_bad_key_and_exits_78()
    {
        var (code, _, err) = await RunAsync("serve", "--config", Config("""{ "port": "eighty", "colour": 1 }"""), "--data-dir", Path.Combine(_dir, "data"));
        code.Should().Be(78);
        err.Should().Contain("port").And.Contain("eighty").And.Contain("unknown key 'colour'");
        Directory.Exists(Path.Combine(_dir, "data")).Should().BeFalse("nothing starts with a bad configuration");
    }

    [Fact]
    public async Task Init_generates_the_root_password_once_into_a_private_file_and_never_prints_it()
    {
        var data = Path.Combine(_dir, "data");
        var (code, output, err) = await RunAsync("init", "--config", Config("{}"), "--data-dir", data);
        code.Should().Be(0, err);
        var file = Path.Combine(data, "root-password");
        var password = (await File.ReadAllTextAsync(file)).Trim();
        password.Length.Should().BeGreaterThanOrEqualTo(20);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        (output + err).Should().NotContain(password).And.Contain(file);

        var (again, secondOutput, _) = await RunAsync("init", "--config", Config("{}"), "--data-dir", data);
        again.Should().Be(0);
        secondOutput.Should().Contain("already exists");
        (await File.ReadAllTextAsync(file)).Trim().Should().Be(password);
    }
}

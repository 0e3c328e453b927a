using System.Collections.Concurrent;
using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>backup while the server takes uploads, restore into an empty data directory, and check's findings.</summary>
[Integration]
public sealed class BackupTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("wh-backup-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_work, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_backup_taken_during_uploads_restores_every_upload_acknowledged_before_it_began()
    {
        var data = Path.Combine(_work, "data");
        await using var server = await ServerProcess.StartAsync(data);
        using var http = new TestServer.ClientHelper(server.BaseUrl);
        await http.CreateUserAsync("ci");
        await http.CreateIndexAsync("ci", "dev");
        var acknowledged = new ConcurrentDictionary<string, (DateTime At, string Sha256)>();
        using var stop = new CancellationTokenSource();
        var uploaders = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"busy-{worker}";
                var version = $"1.0.{i}";
                var wheel = Distributions.WheelWithPadding(name, version, 200_000);
                using var request = new HttpRequestMessage(HttpMethod.Post, "ci/dev/")
                {
                    Content = Distributions.Form(name, version, wheel, Distributions.WheelName(name, version)),
                };
                request.Headers.Authorization = TestServer.Basic("ci", "ci-pw");
                using var response = await http.Client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged[$"{name}/{version}"] = (DateTime.UtcNow, Distributions.Sha256(wheel));
                }
            }
        })).ToList();
        await Task.Delay(1500);
        var began = DateTime.UtcNow;
        var backup = Path.Combine(_work, "backup");
        var backedUp = (await ServerCommand.RunAsync("backup", backup, "--data-dir", data)).ShouldSucceed();
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(uploaders);
        var before = acknowledged.Where(a => a.Value.At < began).ToList();
        before.Should().NotBeEmpty();
        acknowledged.Count.Should().BeGreaterThan(before.Count, "uploads went on during the backup:\n" + backedUp.Output);

        var restored = Path.Combine(_work, "restored");
        (await ServerCommand.RunAsync("restore", backup, "--data-dir", restored)).ShouldSucceed().Output.Should().Contain("passes 'check'");
        (await ServerCommand.RunAsync("check", "--data-dir", restored)).ShouldSucceed().Output.Should().Contain("no problems");
        await using var second = await ServerProcess.StartAsync(restored);
        using var http2 = new TestServer.ClientHelper(second.BaseUrl);
        foreach (var (key, (_, sha)) in before)
        {
            var name = key.Split('/')[0];
            var page = await http2.Client.GetStringAsync($"ci/dev/+simple/{name}/");
            page.Should().Contain(sha, key);
        }
        // Everything the backup holds downloads with the bytes it promises.
        var oneSha = before[0].Value.Sha256;
        var link = System.Text.RegularExpressions.Regex.Match(await http2.Client.GetStringAsync($"ci/dev/+simple/{before[0].Key.Split('/')[0]}/"),
            "href=\"([^\"#]+)#sha256=" + oneSha).Groups[1].Value;
        var bytes = await http2.Client.GetByteArrayAsync(new Uri(new Uri($"{second.BaseUrl}/ci/dev/+simple/{before[0].Key.Split('/')[0]}/"), link));
        Distributions.Sha256(bytes).Should().Be(oneSha);
    }

    [Fact]
    public async Task An_interrupted_backup_is_never_restored_and_restore_wants_an_empty_data_directory()
    {
        var data = Path.Combine(_work, "data");
        (await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", data)).ShouldSucceed();
        var backup = Path.Combine(_work, "backup");
        (await ServerCommand.RunAsync("backup", backup, "--data-dir", data)).ShouldSucceed();
        (await ServerCommand.RunAsync("backup", backup, "--data-dir", data)).ExitCode.Should().Be(73, "a backup never writes into a used directory");

        var occupied = await ServerCommand.RunAsync("restore", backup, "--data-dir", data);
        occupied.ExitCode.Should().Be(73);
        occupied.Output.Should().Contain("not empty");

        File.Delete(Path.Combine(backup, "BACKUP-COMPLETE"));
        var target = Path.Combine(_work, "target");
        var refused = await ServerCommand.RunAsync("restore", backup, "--data-dir", target);
        refused.ExitCode.Should().Be(65);
        refused.Output.Should().Contain("not a complete backup");
        Directory.Exists(target).Should().BeFalse();
    }

    [Fact]
    public async Task Check_finds_a_corrupted_blob_a_missing_blob_and_a_stray_served_name_and_repair_fixes_what_it_can()
    {
        var data = Path.Combine(_work, "data");
        (await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", data)).ShouldSucceed();
        (await ServerCommand.RunAsync("check", "--data-dir", data)).ShouldSucceed().Output.Should().Contain("no problems");

        var blobs = Directory.GetFiles(Path.Combine(data, "+files", "sha256"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var corrupted = blobs[0];
        var bytes = await File.ReadAllBytesAsync(corrupted);
        bytes[0] ^= 0x01;
        // Rewritten in place: the served tree's hard link shares the damage, as a failing disk would.
        await using (var stream = new FileStream(corrupted, FileMode.Open, FileAccess.Write))
        {
            await stream.WriteAsync(bytes);
        }
        var missing = blobs[1];
        File.Delete(missing);
        var stray = Path.Combine(data, "+f-tree", "team-a", "dev", "+f", "abc", "0123456789abc", "planted-1.0.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        await File.WriteAllTextAsync(stray, "not ours");

        var check = await ServerCommand.RunAsync("check", "--data-dir", data);
        check.ExitCode.Should().Be(1);
        var sha = (string path) => Path.GetFileName(Path.GetDirectoryName(path)!) + Path.GetFileName(path);
        check.Output.Should().Contain($"corrupted blob {sha(corrupted)}").And.Contain($"missing blob {sha(missing)}")
            .And.Contain("stray name team-a/dev/+f/abc/0123456789abc/planted-1.0.tar.gz");

        var repair = await ServerCommand.RunAsync("check", "--repair", "--data-dir", data);
        repair.ExitCode.Should().Be(1, "a corrupted or missing blob cannot be repaired without another copy");
        repair.Output.Should().Contain("not repaired: corrupted blob").And.Contain("not repaired: missing blob").And.Contain("1 removed");
        File.Exists(stray).Should().BeFalse();
    }
}

using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Application.Users;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Application;

/// <summary>The application services over a store in a temporary directory, composed as the server composes them, without HTTP.</summary>
public sealed class ServiceFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-services-").FullName;

    public ServiceFixture()
    {
        Store = PackageStore.Open(_dir, Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(_dir));
        Tokens = new TokenService(TokenService.LoadOrCreateSecret(_dir), TimeSpan.FromHours(10), TimeProvider.System);
        Users = new UserService(Store, Known, new PasswordHasher(iterations: 1000), Tokens, TimeProvider.System);
        Indexes = new IndexService(Store, Known);
        Releases = new ReleaseService(Store, Known);
        Uploads = new UploadService(Store, Known, TimeProvider.System, NullLogger<UploadService>.Instance);
        Push = new PushService(Store, Known, TimeProvider.System, NullLogger<PushService>.Instance);
    }

    public PackageStore Store { get; }

    public UsersAndIndexes Known { get; } = new();

    public TokenService Tokens { get; }

    public UserService Users { get; }

    public IndexService Indexes { get; }

    public ReleaseService Releases { get; }

    public UploadService Uploads { get; }

    public PushService Push { get; }

    public string BlobDirectory => Path.Combine(_dir, "+files", "sha256");

    public static Principal As(string user) => Principal.ForUser(UserName.Parse(user));

    public static Validated<UserFields> Fields(string json, bool create = true) => UserFields.Parse(JsonNode.Parse(json)!.AsObject(), create);

    public static Validated<JsonObject> Patch(string json) => new Validated<JsonObject>.Valid(JsonNode.Parse(json)!.AsObject());

    /// <summary>What GET reports for a user, as the server's view would (its name only; enough for the reported-key rule).</summary>
    public static JsonObject Reported(UserRecord user) => new() { ["username"] = user.Name };

    public static Validated<JsonNode?> Body(string json) => new Validated<JsonNode?>.Valid(JsonNode.Parse(json));

    public async Task UserAsync(string name) =>
        (await Users.CreateAsync(name, Fields("""{"password": "pw"}"""), CancellationToken.None)).Should().BeOfType<Outcome<UserRecord>.Created>();

    public async Task IndexAsync(string user, string index, string config = "{}") =>
        (await Indexes.CreateAsync(As(user), user, index, Body(config), CancellationToken.None)).Should().BeOfType<Outcome<IndexService.Described>.Created>();

    /// <summary>A twine-like file_upload of a generated wheel by <paramref name="user"/>.</summary>
    public async Task<Outcome<string>> UploadWheelAsync(string user, string index, string name, string version, byte[]? wheel = null)
    {
        var entry = Known.FindIndex(user, index)!;
        await using var form = new UploadForm { ContentFileName = Distributions.WheelName(name, version) };
        form.Fields[":action"] = ["file_upload"];
        form.Fields["name"] = [name];
        form.Fields["version"] = [version];
        form.Content = Uploads.NewContent();
        await form.Content.WriteAsync(wheel ?? Distributions.Wheel(name, version), CancellationToken.None);
        await form.Content.FinishAsync();
        return await Uploads.UploadAsync(entry, user, form, CancellationToken.None);
    }

    public List<string> Blobs() =>
        Directory.EnumerateFiles(BlobDirectory, "*", SearchOption.AllDirectories).ToList();

    public void Dispose()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}

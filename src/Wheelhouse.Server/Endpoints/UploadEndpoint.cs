using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Uploads;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST /{u}/{i}/</c>, the legacy upload API of twine and <c>devpi upload</c> (spec "Upload"), through
/// <see cref="UploadService"/>. Rights are checked from the headers before the body is read; the only endpoint that
/// challenges for credentials. A JSON body makes the POST a push (<see cref="PushEndpoint"/>).
/// </summary>
public static class UploadEndpoint
{
    public readonly record struct IndexRoute(string User, string Index);

    public static void Map(WebApplication app) =>
        app.MapPost("/{user}/{index}", async (HttpContext c, [AsParameters] IndexRoute route, Authenticator auth, ServerOptions options,
            UploadService uploads, PushService push) =>
        {
            if (PushEndpoint.IsPush(c.Request))
            {
                await PushEndpoint.HandleAsync(c, route.User, route.Index, auth, push);
                return;
            }
            SubmitReason.InStatusLine(c);
            var identity = auth.Identify(c.Request);
            if (await Answer.ValueOrRefusedAsync(c, Challenged(c, identity, route, uploads.Authorize(identity.Principal, route.User, route.Index))) is not { } entry)
            {
                return;
            }
            // Multipart overhead for the metadata fields is bounded separately by the reader.
            if (c.Request.ContentLength is { } length && length > options.MaxUploadSize + MultipartUploadReader.MaxTotalFieldBytes + 65536)
            {
                c.Response.Headers.Connection = "close";
                await ApiResponse.Error(c, 413, $"upload of {length} bytes is larger than the configured limit of {options.MaxUploadSize} bytes (maxUploadSize)");
                return;
            }
            var (form, rejection) = await MultipartUploadReader.ReadAsync(c.Request, uploads.NewContent, options.MaxUploadSize, c.RequestAborted);
            if (rejection is not null)
            {
                await ApiResponse.Error(c, rejection.Status, rejection.Message);
                return;
            }
            await using (form)
            {
                var outcome = await uploads.UploadAsync(entry, identity.User!, form!, c.RequestAborted);
                await Answer.With(c, outcome, _ =>
                {
                    c.Response.StatusCode = 200;
                    return Task.CompletedTask;
                });
            }
        });

    /// <summary>A refusal logging in could overcome becomes Basic's challenge (twine then asks for credentials).</summary>
    private static Application.Outcome<Application.Indexes.IndexEntry> Challenged(
        HttpContext c, RequestIdentity identity, IndexRoute route, Application.Outcome<Application.Indexes.IndexEntry> outcome)
    {
        if (outcome is not Application.Outcome<Application.Indexes.IndexEntry>.Refused { Refusal: Application.Refusal.Forbidden { NeedsAuthentication: true } })
        {
            return outcome;
        }
        c.Response.Headers.WWWAuthenticate = "Basic realm=\"pypi\"";
        return new Application.Refusal.Forbidden(identity.SentCredentials
            ? "invalid or expired credentials; log in again"
            : $"authentication required to upload to {route.User}/{route.Index}", NeedsAuthentication: true);
    }
}

using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Push;
using Wheelhouse.Server.Uploads;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST /{u}/{i}/</c>, the legacy upload API of twine and <c>devpi upload</c> (spec "Upload"). Rights are checked
/// from the headers before the body is read; the only endpoint that challenges for credentials. A JSON body makes the
/// POST a push (<see cref="PushEndpoint"/>).
/// </summary>
public static class UploadEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/{user}/{index}", async (HttpContext c, string user, string index, UserDirectory directory, Authenticator auth,
            ServerOptions options, PackageStore store, UploadHandler handler, ReleasePusher pusher) =>
        {
            if (PushEndpoint.IsPush(c.Request))
            {
                await PushEndpoint.HandleAsync(c, user, index, directory, auth, pusher);
                return;
            }
            SubmitReason.InStatusLine(c);
            if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } entry)
            {
                return;
            }
            if (entry.IsMirror)
            {
                await ApiResponse.Error(c, 404, "cannot submit to mirror index");
                return;
            }
            var identity = auth.Identify(c.Request);
            var decision = Authorization.CanUpload(entry.IndexPath, entry.Config, identity.Principal);
            if (!decision.Allowed)
            {
                if (decision.NeedsAuthentication)
                {
                    c.Response.Headers.WWWAuthenticate = "Basic realm=\"pypi\"";
                    await ApiResponse.Error(c, 401, identity.SentCredentials
                        ? "invalid or expired credentials; log in again"
                        : $"authentication required to upload to {entry.Path}");
                    return;
                }
                await ApiResponse.Error(c, 403, decision.Reason ?? $"may not upload to {entry.Path}");
                return;
            }
            // Multipart overhead for the metadata fields is bounded separately by the reader.
            if (c.Request.ContentLength is { } length && length > options.MaxUploadSize + MultipartUploadReader.MaxTotalFieldBytes + 65536)
            {
                c.Response.Headers.Connection = "close";
                await ApiResponse.Error(c, 413, $"upload of {length} bytes is larger than the configured limit of {options.MaxUploadSize} bytes (maxUploadSize)");
                return;
            }
            var (form, rejection) = await MultipartUploadReader.ReadAsync(c.Request, store, options.MaxUploadSize, c.RequestAborted);
            if (rejection is not null)
            {
                await ApiResponse.Error(c, rejection.Status, rejection.Message);
                return;
            }
            await using (form)
            {
                var outcome = await handler.HandleAsync(entry, identity.User!, form!, c.RequestAborted);
                if (outcome.Serial is { } serial)
                {
                    DevpiHeaders.StampSerial(c, serial);
                }
                if (outcome.Status != 200)
                {
                    await ApiResponse.Error(c, outcome.Status, outcome.Message);
                    return;
                }
                c.Response.StatusCode = 200;
            }
        });
}

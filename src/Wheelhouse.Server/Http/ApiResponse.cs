using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace Wheelhouse.Server.Http;

/// <summary>
/// devpi's JSON envelope (<c>{"type", "result", "message"?}</c>) and its errors (<c>{"message"}</c>). The status line
/// keeps the standard reason phrase, except for a legacy submit (<see cref="SubmitReason"/>).
/// </summary>
public static class ApiResponse
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task Ok(HttpContext context, string type, JsonNode? result, int status = 200, string? message = null)
    {
        var body = new JsonObject { ["type"] = type, ["result"] = result };
        if (message is not null)
        {
            body["message"] = message;
        }
        return WriteJson(context, status, body);
    }

    public static Task Message(HttpContext context, int status, string message) =>
        WriteJson(context, status, new JsonObject { ["message"] = message });

    public static Task Error(HttpContext context, int status, string message)
    {
        if (SubmitReason.IsWanted(context))
        {
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = StatusLine(message);
        }
        context.RequestServices?.GetService<RefusalLog>()?.Refused(context, status, message);
        return WriteJson(context, status, new JsonObject { ["message"] = message });
    }

    public static Task WriteJson(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Compact));
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }

    /// <summary>A status-line-safe version of a message: printable ASCII only, bounded length.</summary>
    internal static string StatusLine(string message)
    {
        var sb = new StringBuilder(Math.Min(message.Length, 200));
        foreach (var c in message)
        {
            if (sb.Length >= 200)
            {
                break;
            }
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return sb.ToString();
    }
}

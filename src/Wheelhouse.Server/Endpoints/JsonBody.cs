using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Reads a small JSON request body, bounded, answering a readable error instead of throwing.</summary>
public static class JsonBody
{
    private const int MaxBytes = 1 << 20;

    public sealed record Result(JsonNode? Node, string? Error)
    {
        public JsonObject? Object => Node as JsonObject;
    }

    public static async Task<Result> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return new Result(null, $"request body is larger than {MaxBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return new Result(null, null);
        }
        try
        {
            return new Result(JsonNode.Parse(buffer.ToArray()), null);
        }
        catch (JsonException e)
        {
            return new Result(null, $"request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The body (null when empty) for a service to check, or why it could not be read.</summary>
    public static async Task<Validated<JsonNode?>> ReadValidatedAsync(HttpContext context)
    {
        var result = await ReadAsync(context);
        return result.Error is { } error ? new Validated<JsonNode?>.Invalid([error]) : new Validated<JsonNode?>.Valid(result.Node);
    }

    public static async Task<Result> ReadObjectAsync(HttpContext context)
    {
        var result = await ReadAsync(context);
        return result.Error is null && result.Node is not JsonObject
            ? new Result(null, "request body must be a JSON object")
            : result;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Reads a small request body, JSON or as sent, bounded, answering a readable error instead of throwing.</summary>
public static class JsonBody
{
    private const int MaxBytes = 1 << 20;

    public sealed record Result(JsonNode? Node, string? Error)
    {
        public JsonObject? Object => Node as JsonObject;
    }

    public static async Task<Result> ReadAsync(HttpContext context)
    {
        var (bytes, error) = await ReadBytesAsync(context, MaxBytes);
        if (error is not null || bytes!.Length == 0)
        {
            return new Result(null, error);
        }
        try
        {
            return new Result(JsonNode.Parse(bytes), null);
        }
        catch (JsonException e)
        {
            return new Result(null, $"request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The body as sent, or why not: larger than <paramref name="maxBytes"/>, which it stops reading at.</summary>
    public static async Task<(byte[]? Bytes, string? Error)> ReadBytesAsync(HttpContext context, int maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, $"request body is larger than {maxBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
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

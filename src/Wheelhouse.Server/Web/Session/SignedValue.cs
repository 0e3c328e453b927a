using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// A cookie value the browser holds but cannot forge or alter: <c>base64url(fields).base64url(HMAC-SHA256)</c>, the
/// fields joined by a newline (which no field may contain).
/// </summary>
public static class SignedValue
{
    private const char Separator = '\n';

    public static string Sign(byte[] key, params string[] fields)
    {
        if (fields.Any(f => f.Contains(Separator, StringComparison.Ordinal)))
        {
            throw new ArgumentException("a signed field cannot contain a newline", nameof(fields));
        }
        var payload = Encoding.UTF8.GetBytes(string.Join(Separator, fields));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The fields when <paramref name="value"/> was signed with <paramref name="key"/> and has <paramref name="count"/> of them; else null.</summary>
    public static string[]? Verify(byte[] key, string? value, int count)
    {
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || Decode(value![..dot]) is not { } payload || Decode(value[(dot + 1)..]) is not { } mac
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), mac))
        {
            return null;
        }
        var fields = Encoding.UTF8.GetString(payload).Split(Separator);
        return fields.Length == count ? fields : null;
    }

    private static byte[]? Decode(string text)
    {
        try
        {
            return text.Length == 0 ? null : Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

namespace Wheelhouse.Server.Uploads;

/// <summary>An upload refused while its form was read, before anything was stored: the status code and the message.</summary>
public sealed record UploadRejection(int Status, string Message);

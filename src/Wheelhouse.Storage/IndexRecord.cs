namespace Wheelhouse.Storage;

/// <summary>An index row; its typed config is Core's concern, stored here as JSON.</summary>
public sealed record IndexRecord(string User, string Name, string ConfigJson);

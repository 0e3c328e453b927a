namespace Wheelhouse.Core;

/// <summary>
/// The outcome of validating user input: the value, or every problem found (not just the first), each a sentence
/// that says what is wrong. The HTTP edge maps <see cref="Invalid"/> to a 4xx with <see cref="Invalid.Message"/>.
/// </summary>
public abstract record Validated<T>
{
    private Validated()
    {
    }

    public sealed record Valid(T Value) : Validated<T>;

    public sealed record Invalid(IReadOnlyList<string> Problems) : Validated<T>
    {
        public string Message => string.Join("; ", Problems);
    }

    public bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Invalid? invalid)
    {
        switch (this)
        {
            case Valid v:
                value = v.Value!;
                invalid = null;
                return true;
            default:
                value = default;
                invalid = (Invalid)this;
                return false;
        }
    }
}

namespace Wheelhouse.Packaging.Versioning;

/// <summary>
/// dpkg's verrevcmp: alternating non-digit and digit runs; in non-digit runs '~' sorts before everything (even the
/// end of the string), letters before other characters; digit runs compare numerically.
/// </summary>
public static class DpkgVersionComparison
{
    public static int Compare(string a, string b)
    {
        var i = 0;
        var j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(a, i);
                var bc = Order(b, j);
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            var firstDiff = 0;
            while (i < a.Length && j < b.Length && char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    private static int Order(string s, int index)
    {
        if (index >= s.Length)
        {
            return 0;
        }

        var c = s[index];
        if (char.IsAsciiDigit(c))
        {
            return 0;
        }

        if (char.IsAsciiLetter(c))
        {
            return c;
        }

        return c == '~' ? -1 : c + 256;
    }
}

namespace ScaleBench;

/// <summary>One measured figure of one data set; <see cref="CostRatioTo"/> turns it into "bigger is worse" for the ratio.</summary>
internal sealed record Figure(string Name, double Value, string Unit, bool HigherIsBetter, string Aim, string Detail = "")
{
    /// <summary>How many times the cost of <paramref name="small"/> this is (throughput inverted): 1.0 is flat.</summary>
    public double CostRatioTo(Figure small) => HigherIsBetter ? small.Value / Value : Value / small.Value;

    public string Shown => Value.ToString(Value >= 100 ? "N0" : "N2", System.Globalization.CultureInfo.InvariantCulture) + " " + Unit;
}

namespace Kontakt.LoadTest.Reporting;

/// <summary>One line of a chart: a name for the legend, a CSS color, a y value per x value.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values);

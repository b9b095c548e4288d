using System.Globalization;
using System.Net;
using System.Text;

namespace Kontakt.LoadTest.Reporting;

/// <summary>
/// Draws line charts as inline SVG, so the HTML report needs no script and no network.
/// Points carry a &lt;title&gt; (hover tooltip) when there are few enough of them.
/// </summary>
public static class SvgLineChart
{
    private const int MarginLeft = 72;
    private const int MarginRight = 16;
    private const int MarginTop = 34;
    private const int MarginBottom = 40;
    private const int MaxPointsWithTooltips = 400;

    public static string Render(string title, string yUnit, IReadOnlyList<double> x, IReadOnlyList<ChartSeries> series, int width = 920, int height = 300)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        var svg = new StringBuilder();
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Encode(title)}\" class=\"chart\">");
        Append(svg, $"<text x=\"{MarginLeft}\" y=\"20\" class=\"chart-title\">{Encode(title)}</text>");

        var plotWidth = width - MarginLeft - MarginRight;
        var plotHeight = height - MarginTop - MarginBottom;
        var values = series.SelectMany(s => s.Values).Where(double.IsFinite).ToArray();
        if (x.Count == 0 || values.Length == 0)
        {
            Append(svg, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"chart-empty\">no data</text></svg>");
            return svg.ToString();
        }

        var xStep = NiceStep(Math.Max(x.Max(), 1) / 10);
        var xMax = Math.Ceiling(Math.Max(x.Max(), 1) / xStep) * xStep;
        var yStep = NiceStep(Math.Max(values.Max(), 1e-9) / 5);
        var yMax = Math.Max(yStep, Math.Ceiling(values.Max() / yStep) * yStep);
        double Px(double value) => MarginLeft + (value / xMax * plotWidth);
        double Py(double value) => MarginTop + plotHeight - (Math.Clamp(value, 0, yMax) / yMax * plotHeight);

        for (var y = 0.0; y <= yMax + (yStep / 2); y += yStep)
        {
            Append(svg, $"<line x1=\"{MarginLeft}\" x2=\"{width - MarginRight}\" y1=\"{F(Py(y))}\" y2=\"{F(Py(y))}\" class=\"grid\"/>");
            Append(svg, $"<text x=\"{MarginLeft - 6}\" y=\"{F(Py(y) + 4)}\" text-anchor=\"end\" class=\"tick\">{Encode(Label(y))}</text>");
        }
        for (var t = 0.0; t <= xMax + (xStep / 2); t += xStep)
        {
            Append(svg, $"<line x1=\"{F(Px(t))}\" x2=\"{F(Px(t))}\" y1=\"{MarginTop}\" y2=\"{MarginTop + plotHeight}\" class=\"grid\"/>");
            Append(svg, $"<text x=\"{F(Px(t))}\" y=\"{MarginTop + plotHeight + 16}\" text-anchor=\"middle\" class=\"tick\">{Encode(Label(t))}</text>");
        }
        Append(svg, $"<text x=\"{MarginLeft + (plotWidth / 2)}\" y=\"{height - 6}\" text-anchor=\"middle\" class=\"axis\">seconds since start</text>");
        Append(svg, $"<text x=\"14\" y=\"{MarginTop + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {MarginTop + (plotHeight / 2)})\" class=\"axis\">{Encode(yUnit)}</text>");
        Append(svg, $"<rect x=\"{MarginLeft}\" y=\"{MarginTop}\" width=\"{plotWidth}\" height=\"{plotHeight}\" class=\"frame\"/>");

        var legendX = width - MarginRight - 8;
        for (var i = series.Count - 1; i >= 0; i--)
        {
            var line = series[i];
            Append(svg, $"<text x=\"{legendX}\" y=\"20\" text-anchor=\"end\" class=\"legend\" style=\"fill:{Encode(line.Color)}\">■ {Encode(line.Name)}</text>");
            legendX -= 28 + (line.Name.Length * 8);
        }

        foreach (var line in series)
        {
            var points = new StringBuilder();
            var count = Math.Min(x.Count, line.Values.Count);
            for (var i = 0; i < count; i++)
            {
                if (double.IsFinite(line.Values[i]))
                {
                    points.Append(F(Px(x[i]))).Append(',').Append(F(Py(line.Values[i]))).Append(' ');
                }
            }
            Append(svg, $"<polyline fill=\"none\" stroke=\"{Encode(line.Color)}\" stroke-width=\"1.8\" points=\"{points.ToString().TrimEnd()}\"/>");
            if (count <= MaxPointsWithTooltips)
            {
                for (var i = 0; i < count; i++)
                {
                    Append(svg, $"<circle cx=\"{F(Px(x[i]))}\" cy=\"{F(Py(line.Values[i]))}\" r=\"2.2\" fill=\"{Encode(line.Color)}\"><title>{Encode($"{line.Name} at {Label(x[i])} s: {Label(line.Values[i])} {yUnit}")}</title></circle>");
                }
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (rough <= 0 || !double.IsFinite(rough))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var scaled = rough / magnitude;
        var nice = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static string Label(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1000).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void Append(StringBuilder builder, FormattableString text) =>
        builder.Append(text.ToString(CultureInfo.InvariantCulture));
}

using System.Globalization;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Insights;

/// <summary>One value of a chart; null when it is suppressed (a small group) and must be neither drawn nor printed.</summary>
public sealed record ChartPoint(string Label, double? Value);

public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>
/// Charts as inline SVG drawn on the server: no script, no external resource (the pages' CSP allows neither). Each chart
/// is an image with a title and a description that states every value, and each section also prints its table.
/// </summary>
public static class SvgChart
{
    private const int Width = 640;
    private const int Height = 220;
    private const int Left = 48;
    private const int Bottom = 40;
    private const int Top = 12;
    private static readonly string[] Colors = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#134f5c", "#7f6000", "#444444"];

    public static string Bars(string id, string title, IReadOnlyList<ChartPoint> points, string hidden, string unit = "")
    {
        var max = Math.Max(1, points.Max(p => p.Value ?? 0));
        var slot = (Width - Left - 8) / (double)Math.Max(1, points.Count);
        var bars = string.Concat(points.Select((p, i) =>
        {
            var x = Left + (i * slot) + (slot * 0.15);
            var label = $"""<text x="{N(x + (slot * 0.35))}" y="{Height - Bottom + 14}" text-anchor="middle">{E(p.Label)}</text>""";
            if (p.Value is not { } value)
            {
                return label + $"""<text x="{N(x + (slot * 0.35))}" y="{Height - Bottom - 4}" text-anchor="middle">{E(hidden)}</text>""";
            }

            var h = (Height - Bottom - Top) * value / max;
            return label + $"""<rect x="{N(x)}" y="{N(Height - Bottom - h)}" width="{N(slot * 0.7)}" height="{N(h)}" fill="{Colors[0]}"></rect>""" +
                $"""<text x="{N(x + (slot * 0.35))}" y="{N(Height - Bottom - h - 3)}" text-anchor="middle">{Value(value)}{E(unit)}</text>""";
        }));
        var description = string.Join(", ", points.Select(p => $"{p.Label}: {(p.Value is { } v ? Value(v) + unit : hidden)}"));
        return Svg(id, title, description, Axis(max, unit) + bars, "");
    }

    public static string Lines(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series, string hidden)
    {
        var max = Math.Max(1, series.SelectMany(s => s.Values).Max(v => v ?? 0));
        var step = (Width - Left - 8) / (double)Math.Max(1, labels.Count - 1);
        double X(int i) => Left + (i * step);
        double Y(double v) => Height - Bottom - ((Height - Bottom - Top) * v / max);
        var axis = string.Concat(labels.Select((l, i) => $"""<text x="{N(X(i))}" y="{Height - Bottom + 14}" text-anchor="middle">{E(l)}</text>"""));
        var lines = string.Concat(series.Select((s, k) =>
        {
            var color = Colors[k % Colors.Length];
            // A suppressed month breaks the line instead of being drawn as zero.
            var segments = s.Values.Select((v, i) => (v, i)).Aggregate(new List<List<(double, int)>> { new() }, (acc, p) =>
            {
                if (p.v is { } value)
                {
                    acc[^1].Add((value, p.i));
                }
                else if (acc[^1].Count > 0)
                {
                    acc.Add([]);
                }

                return acc;
            });
            return string.Concat(segments.Where(g => g.Count > 0).Select(g => g.Count == 1
                ? $"""<circle cx="{N(X(g[0].Item2))}" cy="{N(Y(g[0].Item1))}" r="3" fill="{color}"></circle>"""
                : $"""<polyline fill="none" stroke="{color}" stroke-width="2" points="{string.Join(" ", g.Select(p => $"{N(X(p.Item2))},{N(Y(p.Item1))}"))}"></polyline>"""));
        }));
        var legend = "<ul class=\"legend\">" + string.Concat(series.Select((s, k) =>
            $"""<li><span aria-hidden="true" style="color: {Colors[k % Colors.Length]}">■</span> {E(s.Name)}</li>""")) + "</ul>";
        var description = string.Join("; ", series.Select(s => $"{s.Name}: " + string.Join(", ", s.Values.Select((v, i) => $"{labels[i]} {(v is { } n ? Value(n) : hidden)}"))));
        return Svg(id, title, description, Axis(max, "") + axis + lines, legend);
    }

    private static string Svg(string id, string title, string description, string content, string after) => $"""
        <figure>
        <svg role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {Width} {Height}" width="100%" style="max-width: {Width}px">
        <title id="{id}-title">{E(title)}</title>
        <desc id="{id}-desc">{E(description)}</desc>
        {content}
        </svg>
        {after}
        </figure>
        """;

    private static string Axis(double max, string unit) =>
        $"""<line x1="{Left}" y1="{Height - Bottom}" x2="{Width - 8}" y2="{Height - Bottom}" stroke="#888888"></line>""" +
        $"""<text x="{Left - 6}" y="{Top + 4}" text-anchor="end">{Value(max)}{E(unit)}</text><text x="{Left - 6}" y="{Height - Bottom}" text-anchor="end">0</text>""";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Value(double value) => value.ToString("#,0.#", CultureInfo.InvariantCulture);
}

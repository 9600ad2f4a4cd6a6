package dev.ferrite.loadgen.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency-by-percentile chart HdrHistogram's plotter draws: x is {@code log10(1 / (1 - p))}
 * (so 90%, 99%, 99.9%, 99.99% are evenly spaced), y the latency in µs on a log scale, one
 * line per series (an operation, or a target in a side-by-side report).
 */
public final class PercentileChart
{
    private static final double MAX_PERCENTILE = 99.999;

    private PercentileChart()
    {
    }

    /** @param seriesNanos series name → latencies in ns, in legend order. */
    public static void write(final Path png, final String title, final Map<String, Histogram> seriesNanos) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (µs)").build();
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.log10(1 / (1 - MAX_PERCENTILE / 100)));
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentileChart::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        seriesNanos.forEach((name, histogram) ->
        {
            if (histogram.getTotalCount() == 0)
            {
                return;
            }
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (double p = 0; p <= MAX_PERCENTILE; p = nextPercentile(p))
            {
                x.add(Math.log10(1 / (1 - p / 100)));
                y.add(Math.max(0.1, histogram.getValueAtPercentile(p) / 1e3));
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Finer steps towards the tail, like HdrHistogram's percentile distribution output. */
    private static double nextPercentile(final double percentile)
    {
        final double remaining = 100 - percentile;
        return percentile + Math.max(remaining / 8, 0.0001);
    }

    /** Labels whole decades only: 0%, 90%, 99%, 99.9%, ... */
    private static String percentileLabel(final Double x)
    {
        final long decades = Math.round(x);
        if (Math.abs(x - decades) > 1e-6)
        {
            return "";
        }
        final java.math.BigDecimal percentile = java.math.BigDecimal.valueOf(100).subtract(java.math.BigDecimal.valueOf(100).movePointLeft((int)decades));
        return percentile.stripTrailingZeros().toPlainString() + "%";
    }
}

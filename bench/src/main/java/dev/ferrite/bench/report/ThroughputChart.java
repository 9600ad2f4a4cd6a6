package dev.ferrite.bench.report;

import dev.ferrite.bench.peers.Implementation;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One PNG: a chart per workload of throughput (Mops/s) by thread count, a line per implementation. */
public final class ThroughputChart
{
    private ThroughputChart()
    {
    }

    public static void write(final Map<String, List<JmhResult>> byWorkload, final Path png) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final List<XYChart> charts = new ArrayList<>();
        for (final Map.Entry<String, List<JmhResult>> workload : byWorkload.entrySet())
        {
            final XYChart chart = new XYChartBuilder().width(560).height(380).title(workload.getKey())
                .xAxisTitle("threads").yAxisTitle("Mops/s").build();
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
            final Map<String, List<JmhResult>> byImplementation = workload.getValue().stream()
                .collect(Collectors.groupingBy(JmhResult::implementation));
            for (final Implementation implementation : Implementation.values())
            {
                final List<JmhResult> series = byImplementation.get(implementation.id());
                if (series == null)
                {
                    continue;
                }
                series.sort((a, b) -> Integer.compare(a.threads(), b.threads()));
                final double[] threads = series.stream().mapToDouble(JmhResult::threads).toArray();
                final double[] mops = series.stream().mapToDouble(r -> r.opsPerSecond() / 1e6).toArray();
                chart.addSeries(implementation.displayName(), threads, mops).setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        if (charts.isEmpty())
        {
            return;
        }
        final int columns = Math.min(3, charts.size());
        final int rows = (charts.size() + columns - 1) / columns;
        while (charts.size() < rows * columns)
        {
            // XChart's grid indexes every cell: an incomplete last row (16 workloads in the full
            // profile) threw IndexOutOfBoundsException. Fill it with blank charts.
            charts.add(new XYChartBuilder().width(560).height(380).title("").build());
        }
        BitmapEncoder.saveBitmap(charts, rows, columns, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

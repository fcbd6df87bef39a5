using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;

// The garbage collections of one trace of `dotnet-trace collect --profile gc-collect` (bench/load.sh GC_TRACE_DIR): how
// many of each generation and kind, and how long each paused the threads that answer requests.
internal static class GcPauses
{
    public static int Print(string path)
    {
        using var source = new EventPipeEventSource(path);
        source.NeedLoadedDotNetRuntimes();
        source.Process();
        var gcs = source.Processes().Select(p => p.LoadedDotNetRuntime()).OfType<TraceLoadedDotNetRuntime>()
            .SelectMany(r => r.GC.GCs).Where(gc => gc.PauseDurationMSec > 0).ToList();
        if (gcs.Count == 0)
        {
            Console.WriteLine("no garbage collections in the trace");
            return 0;
        }
        var pauses = gcs.Select(gc => gc.PauseDurationMSec).Order().ToList();
        Console.WriteLine($"{gcs.Count} GCs, paused {pauses.Sum():F1} ms in all; pause p50 {pauses[pauses.Count / 2]:F2} ms, " +
            $"p99 {pauses[Math.Min(pauses.Count - 1, pauses.Count * 99 / 100)]:F2} ms, max {pauses[^1]:F2} ms");
        foreach (var group in gcs.GroupBy(gc => (gc.Generation, gc.Type)).OrderBy(g => g.Key.Generation))
        {
            Console.WriteLine($"  gen{group.Key.Generation} {group.Key.Type}: {group.Count()}, pause max {group.Max(gc => gc.PauseDurationMSec):F2} ms, " +
                $"sum {group.Sum(gc => gc.PauseDurationMSec):F1} ms");
        }
        Console.WriteLine("  the ten longest pauses (ms into the trace, generation, kind, pause ms):");
        foreach (var gc in gcs.OrderByDescending(gc => gc.PauseDurationMSec).Take(10))
        {
            Console.WriteLine($"    {gc.StartRelativeMSec,9:F0}  gen{gc.Generation} {gc.Type,-22} {gc.PauseDurationMSec,8:F2}");
        }
        return 0;
    }
}

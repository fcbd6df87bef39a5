using Microsoft.Diagnostics.Tracing.Etlx;

// Where the CPU went in one trace of dotnet-trace collect-linux (kernel CPU samples with .NET stacks): the methods on
// the stack of the most samples (inclusive), the leaf methods and modules (exclusive), and the share of each named part.
// Usage: dotnet run --project bench/TraceSummary -- TRACE.nettrace [rows=40] [part=Frame.Substring …]
//        dotnet run --project bench/TraceSummary -- --gc TRACE.gc.nettrace   (the GC pauses of a gc-collect trace)
if (args is ["--gc", var gcTrace])
{
    return GcPauses.Print(gcTrace);
}
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: TraceSummary TRACE.nettrace [rows=40] [part …]");
    return 2;
}
var rows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40;
string[] parts = args.Length > 2 ? args[2..] : [];
// Converted once, beside the trace (dotnet-trace report leaves its own .etlx, of an older format).
var etlx = args[0] + ".summary.etlx";
if (!File.Exists(etlx))
{
    TraceLog.CreateFromEventPipeDataFile(args[0], etlx);
}
using var log = new TraceLog(etlx);
var inclusive = new Dictionary<string, int>();
var leaves = new Dictionary<string, int>();
var leafModules = new Dictionary<string, int>();
var managedLeaves = new Dictionary<string, int>();
var partCounts = parts.ToDictionary(p => p, _ => 0);
var samples = 0;
foreach (var sample in log.Events)
{
    var stack = sample.CallStack();
    if (stack is null)
    {
        continue;
    }
    samples++;
    var seen = new HashSet<string>();
    var leaf = true;
    var managedLeaf = true;
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        var module = frame.CodeAddress.ModuleName;
        var name = frame.CodeAddress.FullMethodName;
        name = string.IsNullOrEmpty(name) ? $"{module}!?" : name;
        if (leaf && !string.IsNullOrEmpty(module))
        {
            Add(leaves, name);
            Add(leafModules, module);
            leaf = false;
        }
        // Native frames (the runtime, the kernel, libc) charged to the managed method that called into them.
        if (managedLeaf && !string.IsNullOrEmpty(module) && !module.Contains(".so", StringComparison.Ordinal)
            && module != "vmlinux" && !module.StartsWith('['))
        {
            Add(managedLeaves, name);
            managedLeaf = false;
        }
        if (seen.Add(name))
        {
            Add(inclusive, name);
        }
    }
    // A sample counts for the first part (in the order given) that any of its frames names.
    var hit = parts.FirstOrDefault(p => seen.Any(name => name.Contains(p, StringComparison.Ordinal)));
    if (hit is not null)
    {
        partCounts[hit]++;
    }
}
Console.WriteLine($"{samples} CPU samples with stacks in {args[0]}");
Print("inclusive (on the stack)", inclusive);
Print("exclusive (leaf method)", leaves);
Print("exclusive (leaf module)", leafModules);
Print("exclusive (nearest managed method, native frames below it included)", managedLeaves);
if (parts.Length > 0)
{
    Console.WriteLine("\n== parts (each sample counted once, first match in the order given)");
    foreach (var (part, count) in partCounts)
    {
        Console.WriteLine($"{Percent(count),7}  {part}");
    }
    Console.WriteLine($"{Percent(samples - partCounts.Values.Sum()),7}  (none of them)");
}
return 0;

void Print(string title, Dictionary<string, int> counts)
{
    Console.WriteLine($"\n== {title}, top {rows}");
    foreach (var (name, count) in counts.OrderByDescending(c => c.Value).Take(rows))
    {
        Console.WriteLine($"{Percent(count),7}  {(name.Length > 150 ? name[..150] : name)}");
    }
}

string Percent(int count) => samples == 0 ? "-" : $"{100.0 * count / samples:0.0} %";

static void Add(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

using System.Diagnostics;

namespace Orchestration.Bench;

/// <summary>CPU seconds used by a process (this one, or Azurite's), to show where the time goes.</summary>
internal static class CpuMeter
{
    public static TimeSpan Of(int processId)
    {
        try
        {
            using Process process = Process.GetProcessById(processId);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero;
        }
    }

    public static TimeSpan Self()
    {
        using Process process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <summary>The CPU seconds of the host and of Azurite at one moment; the difference of two is what a stretch of the run burned in each.</summary>
internal readonly record struct CpuSnapshot(TimeSpan Host, TimeSpan Azurite)
{
    public static CpuSnapshot Of(int hostId, int azuriteId) => new(CpuMeter.Of(hostId), CpuMeter.Of(azuriteId));

    public CpuSnapshot Since(CpuSnapshot earlier) => new(Host - earlier.Host, Azurite - earlier.Azurite);
}

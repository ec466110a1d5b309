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

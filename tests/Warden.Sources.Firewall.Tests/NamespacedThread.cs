using System.Runtime.InteropServices;

namespace Warden.Sources.Firewall.Tests;

/// <summary>
/// Runs an action on a throw-away thread moved (setns(2)) into a test namespace, so a socket it
/// opens belongs to that namespace while the test process stays where it is. A stand-in for
/// running the whole daemon under <c>ip netns exec</c>, which the end-to-end test does.
/// </summary>
internal static partial class NamespacedThread
{
    private const int CloneNewNet = 0x40000000;

    public static void Run(string name, Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/var/run/netns", name));
                var before = File.ResolveLinkTarget("/proc/thread-self/ns/net", false)?.ToString();
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                }

                if (File.ResolveLinkTarget("/proc/thread-self/ns/net", false)?.ToString() == before)
                {
                    throw new InvalidOperationException("the thread did not leave its namespace");
                }

                action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("in namespace " + name, failure);
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nsType);
}

using System.Net;
using Warden.Core.Detections;
using Warden.Core.Jails;

namespace Warden.Core.Tests;

public class PortScanDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Scanner = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Server = IPAddress.Parse("10.0.0.1");

    [Fact]
    public void Add_MoreThanMaxPortsDistinctPorts_ReportsOnTheCrossingPacket()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 3, MaxAddresses: 0), TimeSpan.FromMinutes(1));

        Assert.Equal(0, detector.Add(Scanner, Server, 21, T0));
        Assert.Equal(0, detector.Add(Scanner, Server, 22, T0.AddSeconds(1)));
        Assert.Equal(0, detector.Add(Scanner, Server, 23, T0.AddSeconds(2)));
        Assert.Equal(4, detector.Add(Scanner, Server, 25, T0.AddSeconds(3)));
        Assert.Equal(0, detector.Count);
    }

    [Fact]
    public void Add_OnePortRepeatedly_NeverReports()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 2, MaxAddresses: 2), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(0, detector.Add(Scanner, Server, 443, T0.AddMilliseconds(i * 10)));
        }

        Assert.Equal(1, detector.Count);
    }

    [Fact]
    public void Add_PortsSpreadBeyondFindTime_DoesNotReport()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 3, MaxAddresses: 0), TimeSpan.FromMinutes(1));

        // One new port every 30 s: never more than 3 distinct ports inside any 60 s window.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, detector.Add(Scanner, Server, 1000 + i, T0.AddSeconds(i * 30)));
        }
    }

    [Fact]
    public void Add_RepeatedPortKeepsItInsideTheWindow_CountsItOnce()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 2, MaxAddresses: 0), TimeSpan.FromMinutes(1));

        detector.Add(Scanner, Server, 80, T0);
        detector.Add(Scanner, Server, 80, T0.AddSeconds(50));
        detector.Add(Scanner, Server, 81, T0.AddSeconds(70));
        Assert.Equal(3, detector.Add(Scanner, Server, 82, T0.AddSeconds(80)));
    }

    [Fact]
    public void Add_MoreThanMaxAddresses_ReportsASweepOfOnePort()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 0, MaxAddresses: 3), TimeSpan.FromMinutes(1));

        for (var host = 1; host <= 3; host++)
        {
            Assert.Equal(0, detector.Add(Scanner, IPAddress.Parse($"10.0.0.{host}"), 22, T0.AddSeconds(host)));
        }

        Assert.Equal(4, detector.Add(Scanner, IPAddress.Parse("10.0.0.4"), 22, T0.AddSeconds(4)));
    }

    [Fact]
    public void Add_SourcesCountedApart_DoNotAddUp()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 3, MaxAddresses: 0), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(0, detector.Add(IPAddress.Parse($"198.51.100.{i}"), Server, 2000 + i, T0));
        }

        Assert.Equal(50, detector.Count);
    }

    [Fact]
    public void Evict_SourcesIdleForFindTime_AreDropped()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 3, MaxAddresses: 0), TimeSpan.FromMinutes(1));
        detector.Add(Scanner, Server, 1, T0);
        detector.Add(IPAddress.Parse("192.0.2.8"), Server, 1, T0.AddSeconds(50));

        Assert.Equal(1, detector.Evict(T0.AddSeconds(70)));
        Assert.Equal(1, detector.Count);

        // The evicted scanner starts from zero.
        Assert.Equal(0, detector.Add(Scanner, Server, 2, T0.AddSeconds(71)));
        Assert.Equal(0, detector.Add(Scanner, Server, 3, T0.AddSeconds(72)));
        Assert.Equal(0, detector.Add(Scanner, Server, 4, T0.AddSeconds(73)));
    }

    [Fact]
    public void Add_BeyondCapacity_DropsStalestSourcesAndStaysBounded()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 3, MaxAddresses: 0), TimeSpan.FromHours(1), capacity: 1000);

        for (var i = 0; i < 100_000; i++)
        {
            var source = new IPAddress(BitConverter.GetBytes(0x0a000000 + i));
            detector.Add(source, Server, 1, T0.AddMilliseconds(i));
        }

        Assert.InRange(detector.Count, 1, 1000);
    }

    [Fact]
    public void Add_FloodSharingOneSecondAtCapacity_KeepsTheScannerCounting()
    {
        const int capacity = 800;
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 2, MaxAddresses: 0), TimeSpan.FromMinutes(1), capacity: capacity);
        var next = 0;
        void Flood(int sources)
        {
            for (var i = 0; i < sources; i++)
            {
                detector.Add(new IPAddress(BitConverter.GetBytes(0x0a000000 + next++)), Server, 22, T0);
            }
        }

        Flood(capacity);
        Assert.Equal(0, detector.Add(Scanner, Server, 1, T0));
        Flood(capacity / 2);
        Assert.Equal(0, detector.Add(Scanner, Server, 2, T0));
        Flood(capacity / 2);

        Assert.Equal(3, detector.Add(Scanner, Server, 3, T0));
    }

    [Fact]
    public void Add_PacketWithoutPort_CountsOnlyItsAddress()
    {
        var detector = new PortScanDetector(new PortScanPolicy(MaxPorts: 1, MaxAddresses: 0), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, detector.Add(Scanner, Server, null, T0.AddSeconds(i)));
        }
    }

    [Fact]
    public void Constructor_BothLimitsOff_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PortScanDetector(new PortScanPolicy(0, 0), TimeSpan.FromMinutes(1)));
    }
}

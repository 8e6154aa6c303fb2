namespace Warden.Web.Metrics;

/// <summary>A Prometheus metric type, as written after <c># TYPE</c>.</summary>
internal enum MetricKind
{
    /// <summary>Only goes up; samples are named <c>*_total</c>.</summary>
    Counter,

    /// <summary>Any value, the last one measured.</summary>
    Gauge,

    /// <summary>Cumulative buckets, sum and count.</summary>
    Histogram,
}

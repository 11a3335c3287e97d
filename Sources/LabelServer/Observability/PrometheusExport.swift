import CoreMetrics
import Prometheus

/// The Prometheus side of the server's metrics: one registry per server (so several servers in
/// one process, as in tests, do not mix their numbers) and the text exposition format.
struct PrometheusExport: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// A swift-metrics factory writing into this registry, with buckets sized for a server
    /// whose requests take microseconds to milliseconds.
    var factory: any MetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets[ServerMetrics.Names.batchSize] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        return factory
    }

    /// The registry in the Prometheus text format (version 0.0.4).
    func render() -> [UInt8] { registry.emitToBuffer() }
}

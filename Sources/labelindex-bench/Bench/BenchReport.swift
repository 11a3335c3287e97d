import Foundation
import LabelBench

/// Everything `bench run` measured: what the JSON report holds and the other reports render.
struct BenchReport: Codable {
    /// The systems compared. Their raw values are what the reports print.
    enum System: String, Codable, CaseIterable {
        case labelIndex = "LabelIndex"
        case labelIndexNoSync = "LabelIndex (no-sync)"
        case labelIndexWriteMap = "LabelIndex (no-sync, write map)"
        case sqlite = "SQLite"
        case floor = "floor"
    }

    struct WorkloadInfo: Codable {
        var directory: String
        var assets: Int
        var labels: Int
        var pairs: Int
        var seed: UInt64
    }

    struct Settings: Codable {
        var readers: Int
        var repeatCount: Int
        var secondsPerMeasurement: Double
        var writeOperations: Int
        var mixedSeconds: Double
        var pageSize: Int
        var processors: Int
        var date: Date
    }

    /// Latency statistics of one operation, in nanoseconds.
    struct Latency: Codable {
        var median: Double
        var p99: Int64
        var mean: Double
        var iterations: Int

        init(_ sample: LatencySample) {
            median = sample.median
            p99 = sample.p99
            mean = sample.mean
            iterations = sample.count
        }
    }

    struct Load: Codable {
        var system: System
        var seconds: Double
        var databaseBytes: Int64
        /// What the load started from, since the systems do not load the same way.
        var source: String
    }

    /// Count and first-page latency of one system on one query.
    struct QueryLatency: Codable {
        var count: Latency
        var firstPage: Latency
    }

    struct ShapeResult: Codable {
        var shape: String
        var query: String
        var count: Int
        var latencies: [String: QueryLatency]

        func latency(_ system: System) -> QueryLatency? { latencies[system.rawValue] }
    }

    struct WriteResult: Codable {
        var system: System
        var add: Latency
        var remove: Latency
    }

    struct MixedResult: Codable {
        var system: System
        var readers: Int
        var seconds: Double
        var queries: Int
        var writes: Int
        var queriesPerSecond: Double
        var writesPerSecond: Double

        init(system: System, readers: Int, seconds: Double, queries: Int, writes: Int) {
            self.system = system
            self.readers = readers
            self.seconds = seconds
            self.queries = queries
            self.writes = writes
            queriesPerSecond = Double(queries) / seconds
            writesPerSecond = Double(writes) / seconds
        }
    }

    var workload: WorkloadInfo
    var settings: Settings
    var loads: [Load]
    var shapes: [ShapeResult]
    var writes: [WriteResult]
    var mixed: [MixedResult]
}

extension BenchReport {
    /// How many times faster LabelIndex's median is than `system`'s (above 1: LabelIndex wins).
    static func speedup(of labelIndex: Latency?, over other: Latency?) -> Double {
        guard let labelIndex, let other, labelIndex.median > 0 else { return .nan }
        return other.median / labelIndex.median
    }

    /// How many times the floor's median LabelIndex takes (1 would be no overhead at all).
    static func overhead(of labelIndex: Latency?, over floor: Latency?) -> Double {
        guard let labelIndex, let floor, floor.median > 0 else { return .nan }
        return labelIndex.median / floor.median
    }
}

import LabelIndex
import Metrics
import Synchronization

/// The server's metrics through the swift-metrics API, backed by swift-prometheus:
///
/// - `labelindex_http_requests_total{family,status}` and
///   `labelindex_http_request_duration_seconds{family}`: per route family (`projectdiscovery`,
///   `labeling`, `actionhub`, `query`, `assets`, `admin`, `system`, `unmatched`).
/// - `labelindex_group_commits_total`, `labelindex_group_commit_batch_size` (requests per
///   commit) and `labelindex_group_commit_duration_seconds`.
/// - `labelindex_jobs_total{outcome}` for queued bulk label jobs.
/// - `labelindex_query_stops_total{reason}`: queries refused or stopped for their cost
///   (`expanded_labels`, `work_budget`, `time_limit`) or because their client went away
///   (`cancelled`).
/// - `labelindex_store_file_bytes` and `labelindex_store_map_bytes`, refreshed on every scrape.
///
/// `/metrics` answers without a key (as scrapers expect), so it carries nothing derived from
/// tenants' data: no asset, label or namespace counts, not even store-wide (with few tenants a
/// total tells one tenant what another holds). Each account reads its own at `/v1/stats`.
final class ServerMetrics: Sendable {
    enum Names {
        static let requests = "labelindex_http_requests_total"
        static let requestDuration = "labelindex_http_request_duration_seconds"
        static let commits = "labelindex_group_commits_total"
        static let batchSize = "labelindex_group_commit_batch_size"
        static let commitDuration = "labelindex_group_commit_duration_seconds"
        static let jobs = "labelindex_jobs_total"
        static let queryStops = "labelindex_query_stops_total"
    }

    private let export = PrometheusExport()
    private let factory: any MetricsFactory
    private let requestCounters = Mutex<[String: Counter]>([:])
    private let requestTimers = Mutex<[String: Timer]>([:])
    private let jobCounters = Mutex<[String: Counter]>([:])
    private let queryStopCounters = Mutex<[String: Counter]>([:])
    private let commits: Counter
    private let batchSizes: Recorder
    private let commitDurations: Timer
    private let storeGauges: [String: Gauge]

    init() {
        let factory = export.factory
        self.factory = factory
        commits = Counter(label: Names.commits, factory: factory)
        batchSizes = Recorder(label: Names.batchSize, aggregate: true, factory: factory)
        commitDurations = Timer(label: Names.commitDuration, factory: factory)
        var gauges: [String: Gauge] = [:]
        for name in ["file_bytes", "map_bytes"] {
            gauges[name] = Gauge(label: "labelindex_store_\(name)", factory: factory)
        }
        storeGauges = gauges
    }

    func recordRequest(family: String, status: Int, nanoseconds: Int64) {
        let statusClass = "\(status / 100)xx"
        let key = "\(family)|\(statusClass)"
        let counter = requestCounters.withLock { counters in
            if let existing = counters[key] { return existing }
            let created = Counter(
                label: Names.requests, dimensions: [("family", family), ("status", statusClass)], factory: factory)
            counters[key] = created
            return created
        }
        counter.increment()
        let timer = requestTimers.withLock { timers in
            if let existing = timers[family] { return existing }
            let created = Timer(label: Names.requestDuration, dimensions: [("family", family)], factory: factory)
            timers[family] = created
            return created
        }
        timer.recordNanoseconds(nanoseconds)
    }

    func recordCommit(batchSize: Int, seconds: Double) {
        commits.increment()
        batchSizes.record(batchSize)
        commitDurations.recordNanoseconds(Int64(seconds * 1e9))
    }

    func recordJob(outcome: String) {
        let counter = jobCounters.withLock { counters in
            if let existing = counters[outcome] { return existing }
            let created = Counter(label: Names.jobs, dimensions: [("outcome", outcome)], factory: factory)
            counters[outcome] = created
            return created
        }
        counter.increment()
    }

    func recordQueryStop(reason: String) {
        let counter = queryStopCounters.withLock { counters in
            if let existing = counters[reason] { return existing }
            let created = Counter(label: Names.queryStops, dimensions: [("reason", reason)], factory: factory)
            counters[reason] = created
            return created
        }
        counter.increment()
    }

    func updateStoreTotals(_ statistics: StoreStatistics) {
        storeGauges["file_bytes"]?.record(statistics.fileBytes)
        storeGauges["map_bytes"]?.record(statistics.mapSize)
    }

    func render() -> [UInt8] { export.render() }
}

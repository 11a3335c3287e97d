import ArgumentParser
import Foundation
import LabelCluster
import LabelCommandLine
import LabelIndex
import LabelServer
import Logging

#if canImport(Glibc)
    import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server: the three label APIs and the native query API.",
        discussion: """
            Serves ProjectDiscovery-style /v1/asset/..., the Labeling API under /API, \
            ActionHub /labels and /assets, and the native /v1/query, /v1/assets, /v1/stats, \
            plus /healthz, /metrics and /openapi.json. Runs until SIGTERM or SIGINT, then \
            finishes in-flight requests and exits 0.

            First run: when authentication is on and the store has no API key yet, a \
            bootstrap key for account `default` with every scope is created and printed once \
            on standard error. Create more keys with `labelindex keys create --account NAME` \
            and revoke the bootstrap key with `labelindex keys revoke ID`.

            Examples:
              labelindex serve
              labelindex serve --host 0.0.0.0 --port 9090 --data-dir /var/lib/labelindex
              labelindex serve --no-auth          (local development only)

            Cluster mode (`--etcd URLS`, after `labelindex cluster init`): every write is appended \
            to its partition's log in etcd and acknowledged once etcd has committed it and this \
            node has applied it; the node applies every partition's log to its own store, so it \
            answers every read. Responses carry X-Applied-Seq (partition:sequence of each \
            partition this node has applied); a read with ?min_seq=P:S waits until the node has \
            applied sequence S of partition P. Keys are made with `labelindex keys create --etcd`.
              labelindex serve --etcd http://10.0.0.1:2379,http://10.0.0.2:2379 --data-dir /var/lib/labelindex

            Each node registers in etcd (name, URL, applied sequences) and takes a snapshot of \
            its store every --snapshot-interval; the log is trimmed behind what every live node \
            and the best snapshot still need (keeping the newest --log-retain entries). A node \
            that starts with nothing applied, or behind the trimmed log, first fetches the best \
            snapshot of a live peer (GET /v1/cluster/snapshot, with the cluster's secret), checks \
            its SHA-256 and installs it. A node cut off until the log was trimmed past it exits \
            with status 75, for its supervisor to restart it.
            """)

    enum LogLevel: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
    }

    @OptionGroup var store: StoreOptions

    @OptionGroup var caches: CacheOptions

    @Option(
        name: .customLong("malloc-arenas"),
        help: "Most glibc malloc arenas (M_ARENA_MAX); 0 keeps glibc's default of 8 per core.")
    var mallocArenas: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var node: NodeOptions

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to bind; 0 picks a free one.")
    var port: Int = 8080

    @Flag(name: .customLong("no-auth"), help: "Accept every request without an API key (development only).")
    var noAuthentication = false

    @Option(name: .customLong("read-threads"), help: "Threads that run queries and listings.")
    var readThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("log-level"), help: "The least severe log messages to print.")
    var logLevel: LogLevel = .info

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay open without a request.")
    var idleTimeout: Double = 60

    @Option(name: .customLong("header-timeout"), help: "Seconds a request header may take to arrive (then 408).")
    var headerTimeout: Double = 10

    @Option(name: .customLong("body-timeout"), help: "Longest wait, in seconds, for more bytes of a request body.")
    var bodyTimeout: Double = 30

    @Option(name: .customLong("max-connections"), help: "Most open connections; more are answered 503 and closed.")
    var maxConnections: Int = 10_000

    @Option(
        name: .customLong("max-change-feeds"),
        help: "Cluster nodes: most GET /v1/changes feeds open at once (each holds an etcd watch); more get 503.")
    var maxChangeFeeds: Int = ServerLimits().maxChangeFeeds

    @Option(
        name: .customLong("query-max-work"),
        help: "Most work units one query may spend (one term over one 65,536-asset block); more is refused (400).")
    var queryMaxWork: Int = QueryCostLimits().maxWork

    @Option(name: .customLong("query-time-limit"), help: "Seconds a query may run once it has a thread (then 503).")
    var queryTimeLimit: Double = 10

    @Option(
        name: .customLong("query-max-expanded-labels"),
        help: "Most labels one query's prefixes and under: terms may reach (400 past it).")
    var queryMaxExpandedLabels: Int = ServerLimits().query.maxExpandedLabels

    @Option(name: .customLong("expensive-threads"), help: "Threads of the lane that runs expensive queries.")
    var expensiveThreads: Int = QueryCostLimits().expensiveThreads

    @Option(
        name: .customLong("expensive-per-account"), help: "Most expensive queries one account runs at once.")
    var expensivePerAccount: Int = QueryCostLimits().expensivePerAccount

    func validate() throws {
        for (flag, value) in [
            ("query-max-work", queryMaxWork), ("query-max-expanded-labels", queryMaxExpandedLabels),
            ("expensive-threads", expensiveThreads), ("expensive-per-account", expensivePerAccount),
            ("max-change-feeds", maxChangeFeeds),
        ] where value < 1 {
            throw ValidationError("--\(flag) must be positive.")
        }
        guard (0...1_024).contains(mallocArenas) else {
            throw ValidationError("--malloc-arenas must be between 0 and 1024.")
        }
        guard queryTimeLimit > 0 && queryTimeLimit <= 3_600 else {
            throw ValidationError("--query-time-limit must be more than 0 and at most 3600 seconds.")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535.") }
        guard readThreads > 0 else { throw ValidationError("--read-threads must be positive.") }
        for (flag, seconds) in [("idle", idleTimeout), ("header", headerTimeout), ("body", bodyTimeout)]
        where !(seconds > 0 && seconds <= 86_400) {
            throw ValidationError("--\(flag)-timeout must be more than 0 and at most 86400 seconds.")
        }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive.") }
    }

    func run() async throws {
        limitMallocArenas()
        var logger = Logger(label: "labelindex") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel.level
        var configuration = ServerConfiguration(
            host: host, port: port, authentication: noAuthentication ? .disabled : .apiKeys, readThreads: readThreads)
        configuration.limits.queryCost.maxWork = queryMaxWork
        configuration.limits.queryCost.timeLimit = .milliseconds(Int64(queryTimeLimit * 1000))
        configuration.limits.queryCost.expensiveThreads = expensiveThreads
        configuration.limits.queryCost.expensivePerAccount = expensivePerAccount
        configuration.limits.query.maxExpandedLabels = queryMaxExpandedLabels
        configuration.limits.maxChangeFeeds = maxChangeFeeds
        configuration.connections = ConnectionLimits(
            idleTimeout: .seconds(idleTimeout), headerTimeout: .seconds(headerTimeout),
            bodyTimeout: .seconds(bodyTimeout), maxConnections: maxConnections)
        let labelStore: LabelStore
        var replica: (node: ReplicatedNode, maintenance: NodeMaintenance)?
        if let (log, partitions) = try await cluster.openCluster() {
            let name = node.nodeName(dataDirectory: store.dataDirectory)
            // Before the store opens: a wiped or trimmed-past node starts from a peer's snapshot.
            do {
                _ = try await SnapshotInstaller.prepare(
                    dataDirectory: store.dataDirectory, log: log, partitions: partitions, nodeName: name,
                    logger: logger)
            } catch { throw CommandFailure.failure("cannot catch up: \(error)") }
            labelStore = try store.openForWriting(caches: caches)
            let started = try ReplicatedNode(
                store: labelStore, log: log, partitions: partitions, logger: logger,
                onTrimmedPast: { [logger] partition, start in
                    // Exits for a supervisor to restart it: the restart installs a snapshot.
                    logger.critical(
                        "the log of partition \(partition) was trimmed past this node (it starts at \(start)); exiting to catch up from a snapshot on restart"
                    )
                    Foundation.exit(75)
                })
            started.start()
            let maintenance = NodeMaintenance(
                node: started, log: log, options: node.maintenance(name: name), logger: logger)
            configuration.writePath = started
            configuration.snapshots = maintenance.snapshots
            configuration.changes = started
            let (host, options) = (host, node)
            configuration.onListening = { port in maintenance.start(advertising: options.url(host: host, port: port)) }
            replica = (started, maintenance)
            logger.info(
                "cluster mode",
                metadata: ["etcd": "\(cluster.etcd ?? "")", "partitions": "\(partitions.count)", "node": "\(name)"])
        } else {
            labelStore = try store.openForWriting(caches: caches)
            // In a cluster keys come through the log (`keys create --etcd`); a bootstrap key
            // written here would exist on this node only.
            if !noAuthentication { try createBootstrapKeyIfNeeded(in: labelStore) }
        }
        do {
            try await LabelServer.run(store: labelStore, configuration: configuration, logger: logger)
        } catch {
            await replica?.maintenance.stop()
            await replica?.node.stop()
            throw CommandFailure.failure("the server stopped: \(error)")
        }
        await replica?.maintenance.stop()
        await replica?.node.stop()
    }

    /// A fresh store has no key, so a server started with authentication would refuse every
    /// request; the bootstrap key makes `scripts/serve` usable at once, and is shown only here.
    private func createBootstrapKeyIfNeeded(in labelStore: LabelStore) throws {
        let keys = APIKeyStore(store: labelStore)
        guard try keys.list().isEmpty else { return }
        let created = try keys.create(
            account: "default", scopes: nil, note: "bootstrap key created by labelindex serve")
        let rule = String(repeating: "=", count: 78)
        Console.error(
            """
            \(rule)
            No API key existed, so a bootstrap key was created for account "default" (every scope).
            It is shown only this once; store it now:

                \(created.secret)

            Send it as X-API-Key (ProjectDiscovery and /v1), APIKEY (/API) or actionhub-key (ActionHub).
            More keys:   labelindex keys create --account NAME [--scope team/ID] --data-dir \(store.dataDirectory)
            Revoke this: labelindex keys revoke \(created.id) --data-dir \(store.dataDirectory)
            \(rule)
            """)
    }
}

extension ServeCommand {
    /// glibc gives each thread that contends for the heap its own arena, up to 8 per core; the
    /// server's many threads (event loops, readers, the writer, the concurrency pool) then keep
    /// growing memory that is free but split across arenas. `Benchmarks/soak.sh` showed
    /// anonymous memory level off at 12 MiB with 2 arenas where it crept past 19 MiB with
    /// glibc's default, at the same throughput.
    func limitMallocArenas() {
        #if canImport(Glibc)
            // mallopt is declared in <malloc.h>, which the Glibc module does not import.
            guard mallocArenas > 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
                return
            }
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            let arenaMaximum: Int32 = -8  // M_ARENA_MAX
            _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMaximum, Int32(clamping: mallocArenas))
        #endif
    }
}

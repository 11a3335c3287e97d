import Foundation
import LabelIndex
import LabelQuery

/// How `LabelServer.run` serves a store.
public struct ServerConfiguration: Sendable {
    /// How requests prove who they are.
    public enum Authentication: Sendable, Hashable {
        /// Every request carries an API key created with `APIKeyStore` (`labelindex keys create`).
        case apiKeys
        /// Development only: no key is checked and every request acts as account `dev` with every
        /// scope. Logged as a warning at startup and marked on every response
        /// (`X-LabelIndex-Auth: disabled`).
        case disabled
    }

    /// Address to bind; the default accepts local connections only.
    public var host: String
    /// Port to bind; 0 picks a free one (the bound port is logged).
    public var port: Int
    public var authentication: Authentication
    public var limits: ServerLimits
    /// A bulk label update (`PATCH /v1/asset/labels`) matching more assets than this is queued
    /// and answered `async: true` with a job id; smaller ones run before the reply.
    public var asyncJobThreshold: Int
    /// Assets changed per transaction by a queued job, and records per transaction of a bulk
    /// `POST /v1/assets`, so long writes interleave with other writes. Default: 5,000.
    public var jobChunkSize: Int
    /// Threads that run reads (queries, listings) off the event loops.
    public var readThreads: Int
    /// Most write requests committed together in one transaction.
    public var maximumWriteBatch: Int
    /// `Server` header of every response; `nil` sends none.
    public var serverName: String?
    /// Where writes go; `nil` is the store's own group commit (`LabelStore.submit`).
    public var writePath: (any WritePath)?
    /// Timeouts and the cap on open connections.
    public var connections = ConnectionLimits()
    /// A replicated node's snapshots, served to peers at `GET /v1/cluster/snapshot`; `nil`
    /// (single node) serves none.
    public var snapshots: (any SnapshotSource)?
    /// A replicated node's applied log, served at `GET /v1/changes`; `nil` (single node)
    /// serves none.
    public var changes: (any ChangeFeed)?
    /// Called once the server listens, with the port it bound (useful with `port: 0`).
    public var onListening: (@Sendable (_ port: Int) -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, authentication: Authentication = .apiKeys,
        limits: ServerLimits = ServerLimits(), asyncJobThreshold: Int = 10_000, jobChunkSize: Int = 5_000,
        readThreads: Int = ProcessInfo.processInfo.activeProcessorCount, maximumWriteBatch: Int = 1_024,
        serverName: String? = "LabelIndex"
    ) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.limits = limits
        self.asyncJobThreshold = asyncJobThreshold
        self.jobChunkSize = jobChunkSize
        self.readThreads = readThreads
        self.maximumWriteBatch = maximumWriteBatch
        self.serverName = serverName
    }
}

/// Bounds on what one request may ask for. Each is answered with the family's own error body
/// (PD `ErrorResponse`, `/API` envelope, ActionHub 422 `detail`, `/v1` error object).
public struct ServerLimits: Sendable, Hashable {
    /// Largest body of a label call (P1–P4, J2–J7, A1, `/v1/query` POST, single asset upsert).
    public var maxRequestBytes: Int
    /// Largest body of a bulk asset upsert (`POST /v1/assets`, ActionHub `POST /assets`).
    public var maxBulkRequestBytes: Int
    /// Most labels in one request (`labels` of P1–P4, A1 items, one asset's labels).
    public var maxLabelsPerRequest: Int
    /// Longest label name in UTF-8 bytes (capped by the store's own `maxLabelNameBytes`).
    public var maxLabelBytes: Int
    /// Longest ActionHub `label`, in characters (the schema's `maxLength`).
    public var maxActionHubLabelCharacters: Int
    /// Most resources in one `/API` add/remove call.
    public var maxResourcesPerRequest: Int
    /// Most assets in one bulk upsert.
    public var maxAssetsPerRequest: Int
    /// Page size when a listing does not ask for one.
    public var defaultPageSize: Int
    /// Largest page a listing or query returns (ActionHub's `size` is capped at 100 by its spec).
    public var maxPageSize: Int
    /// Most facets one query may count.
    public var maxFacets: Int
    /// Most `GET /v1/changes` feeds open at once on one node (each holds an etcd watch); one
    /// more is answered 503.
    public var maxChangeFeeds: Int
    /// Query text bounds: length, nesting depth, terms, labels reached by prefixes and `under:`
    /// (`QueryLimits`; here `maxExpandedLabels` is 1,000).
    public var query: QueryLimits
    /// Work and time per query, and the expensive-query lane (`QueryCostLimits`).
    public var queryCost: QueryCostLimits

    public init(
        maxRequestBytes: Int = 1 << 20, maxBulkRequestBytes: Int = 64 << 20, maxLabelsPerRequest: Int = 1_000,
        maxLabelBytes: Int = NameRule.defaultLabelNameBytes, maxActionHubLabelCharacters: Int = 64,
        maxResourcesPerRequest: Int = 1_000,
        maxAssetsPerRequest: Int = 100_000, defaultPageSize: Int = 100, maxPageSize: Int = 1_000, maxFacets: Int = 100,
        maxChangeFeeds: Int = 256,
        query: QueryLimits = QueryLimits(
            maxLength: 64 * 1024, maxDepth: 32, maxTerms: 1_000, maxAssetReferences: 10_000, maxExpandedLabels: 1_000),
        queryCost: QueryCostLimits = QueryCostLimits()
    ) {
        self.maxRequestBytes = maxRequestBytes
        self.maxBulkRequestBytes = maxBulkRequestBytes
        self.maxLabelsPerRequest = maxLabelsPerRequest
        self.maxLabelBytes = maxLabelBytes
        self.maxActionHubLabelCharacters = maxActionHubLabelCharacters
        self.maxResourcesPerRequest = maxResourcesPerRequest
        self.maxAssetsPerRequest = maxAssetsPerRequest
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.maxFacets = maxFacets
        self.maxChangeFeeds = maxChangeFeeds
        self.query = query
        self.queryCost = queryCost
    }
}

/// How long a connection may wait at each step, and how many may be open. A connection that
/// runs out of time is closed (one still sending its request header is first answered `408`);
/// one past the cap is answered `503` with `Retry-After: 1` and closed, with a warning logged at
/// most every 10 seconds. A request that has been read completely is never timed out here.
public struct ConnectionLimits: Sendable, Hashable {
    /// How long a connection may stay open with no request: after it opens and after each
    /// response (keep-alive). Default 60 s (`labelindex serve --idle-timeout`).
    public var idleTimeout: Duration
    /// How long a request header may take from its first byte to its last. Default 10 s
    /// (`--header-timeout`).
    public var headerTimeout: Duration
    /// The longest wait for the next bytes of a request body. Default 30 s (`--body-timeout`).
    public var bodyTimeout: Duration
    /// Most connections open at once; keep it below the process's file-descriptor limit so
    /// the store and the refusals themselves still get descriptors. Default 10,000
    /// (`--max-connections`).
    public var maxConnections: Int

    public init(
        idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30), maxConnections: Int = 10_000
    ) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }
}

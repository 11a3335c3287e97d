import CSQLite
import Foundation

/// When the reverse index `asset_labels_by_asset` is built during a bulk load.
public enum ReverseIndexTiming: String, CaseIterable, Codable, Sendable {
    /// Created with the tables, maintained row by row during the inserts.
    case beforeInserts
    /// Created by one sort after the inserts (faster; see `SQLiteBaseline.load`).
    case afterInserts
}

/// What a bulk load cost.
public struct SQLiteLoadReport: Hashable, Sendable {
    /// Wall time from the first statement to the final checkpoint, ANALYZE included.
    public var duration: Duration
    /// Size of the database file plus its WAL after a truncating checkpoint.
    public var databaseBytes: Int64
    public var assetCount: Int
    public var pairCount: Int
}

/// SQLite configured and queried as well as we know how: the baseline LabelIndex must beat.
///
/// Schema (label ids are workload label indices, `ord` is the asset's ordinal):
/// ```sql
/// labels(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)
/// assets(ord INTEGER PRIMARY KEY, id INTEGER UNIQUE NOT NULL, name TEXT NOT NULL)
/// asset_labels(label_id INTEGER NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY(label_id, ord)) WITHOUT ROWID
/// asset_labels_by_asset ON asset_labels(ord, label_id)
/// ```
/// The clustered `(label_id, ord)` key makes each label's postings one ordered range, which
/// is what every query form reads; the reverse index serves per-asset lookups.
///
/// Connection settings: `journal_mode=WAL` with `synchronous=NORMAL`, SQLite's recommended
/// pairing for WAL: a commit appends to the WAL without an fsync (only checkpoints sync), so
/// a power loss may lose the last commits but never corrupts the file. Single-write latencies
/// are therefore those of a commit that is atomic and consistent but not yet durable; read
/// them next to an engine configured likewise. A 256 MiB page cache and in-memory temp
/// storage let compound queries and index builds run without spilling.
///
/// Not thread-safe: use one instance from one thread at a time.
public final class SQLiteBaseline {
    /// The database file.
    public let path: String
    private let connection: SQLiteConnection
    private var statements: [StatementKey: PreparedQuery] = [:]
    private var cardinalities: [Int: Int] = [:]
    private var assetCount: Int?
    private var fixedStatements: [String: SQLiteStatement] = [:]

    /// A compiled query and the label ids to bind before the page limit.
    private struct PreparedQuery {
        var statement: SQLiteStatement
        var parameters: [Int64]
    }

    private struct StatementKey: Hashable {
        var expression: ShapeExpression
        var form: SQLForm
        var purpose: SQLPurpose
        /// The probe form may pick another driving label for another page size.
        var limit: Int
    }

    /// Opens (or creates) the database at `path` and applies the connection settings.
    public init(path: String) throws {
        self.path = path
        connection = try SQLiteConnection(path: path)
        try connection.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -262144;
            PRAGMA temp_store = MEMORY;
            """)
    }

    // MARK: Bulk load

    /// Creates the schema and loads `workload` in one transaction with prepared statements,
    /// then runs `ANALYZE` and checkpoints.
    ///
    /// Postings are inserted label by label in ascending `ord`, i.e. in primary-key order, so
    /// the clustered table is built by appends. Creating the reverse index after the inserts
    /// (one sort) beat maintaining it during them on the 100,000-asset workload (799,998
    /// pairs, release build): 2.03 s against 2.75 s for the whole load, and a 24.7 MB rather
    /// than 25.4 MB file (a sorted build packs the index pages fully).
    @discardableResult
    public func load(
        _ workload: Workload, reverseIndex: ReverseIndexTiming = .afterInserts
    ) throws -> SQLiteLoadReport {
        let clock = ContinuousClock()
        let start = clock.now
        let reverseIndexSQL = "CREATE INDEX asset_labels_by_asset ON asset_labels(ord, label_id);"
        try connection.execute("BEGIN")
        do {
            try connection.execute(
                """
                CREATE TABLE labels(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
                CREATE TABLE assets(ord INTEGER PRIMARY KEY, id INTEGER UNIQUE NOT NULL, name TEXT NOT NULL);
                CREATE TABLE asset_labels(
                    label_id INTEGER NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY(label_id, ord)
                ) WITHOUT ROWID;
                """)
            if reverseIndex == .beforeInserts { try connection.execute(reverseIndexSQL) }

            let insertLabel = try connection.prepare("INSERT INTO labels(id, name) VALUES (?1, ?2)")
            for (index, label) in workload.labels.enumerated() {
                insertLabel.reset()
                try insertLabel.bind(Int64(index), at: 1)
                try insertLabel.bind(label.name, at: 2)
                try insertLabel.run()
            }
            let insertAsset = try connection.prepare("INSERT INTO assets(ord, id, name) VALUES (?1, ?2, ?3)")
            for (ordinal, asset) in workload.assets.enumerated() {
                insertAsset.reset()
                try insertAsset.bind(Int64(ordinal), at: 1)
                try insertAsset.bind(asset.id, at: 2)
                try insertAsset.bind(asset.name, at: 3)
                try insertAsset.run()
            }
            let insertPair = try connection.prepare("INSERT INTO asset_labels(label_id, ord) VALUES (?1, ?2)")
            var pairs = 0
            for (label, postings) in workload.labelPostings().enumerated() {
                insertPair.reset()
                try insertPair.bind(Int64(label), at: 1)
                for ordinal in postings {
                    insertPair.reset()
                    try insertPair.bind(Int64(ordinal), at: 2)
                    try insertPair.run()
                }
                pairs += postings.count
            }
            if reverseIndex == .afterInserts { try connection.execute(reverseIndexSQL) }
            try connection.execute("COMMIT")
            try connection.execute("ANALYZE")
            let bytes = try databaseSize()
            return SQLiteLoadReport(
                duration: clock.now - start, databaseBytes: bytes, assetCount: workload.assets.count, pairCount: pairs)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Bytes of the database file plus its WAL, after a truncating checkpoint moved the WAL
    /// into the database.
    public func databaseSize() throws -> Int64 {
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        var total: Int64 = 0
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            total += (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        return total
    }

    // MARK: Queries

    /// The form `count`/`firstPage` use by default: the faster one measured for each shape on
    /// the 100,000-asset workload (the table is in `SQLFormChoice.swift`). The same form won
    /// for counts and first pages of every shape.
    public static func fastestForm(for shape: QueryShape, purpose: SQLPurpose) -> SQLForm {
        SQLFormChoice.fastest(for: shape, purpose: purpose)
    }

    /// Number of assets matching `query`.
    public func count(_ query: BenchQuery, form: SQLForm? = nil) throws -> Int {
        let prepared = try statement(for: query, form: form, purpose: .count, limit: 0)
        prepared.statement.reset()
        try prepared.statement.bind(prepared.parameters)
        guard try prepared.statement.step() else {
            throw SQLiteError(code: SQLITE_ERROR, message: "count returned no row", context: prepared.statement.sql)
        }
        let count = Int(prepared.statement.int64(at: 0))
        prepared.statement.reset()
        return count
    }

    /// The first `limit` ordinals matching `query`, ascending.
    public func firstPage(_ query: BenchQuery, limit: Int = 100, form: SQLForm? = nil) throws -> [Int64] {
        let prepared = try statement(for: query, form: form, purpose: .firstPage, limit: limit)
        prepared.statement.reset()
        try prepared.statement.bind(prepared.parameters + [Int64(limit)])
        var ordinals: [Int64] = []
        ordinals.reserveCapacity(limit)
        while try prepared.statement.step() { ordinals.append(prepared.statement.int64(at: 0)) }
        return ordinals
    }

    /// The SQL that `count`/`firstPage` run for `query` (label ids and the limit are parameters).
    public func sql(
        for query: BenchQuery, form: SQLForm? = nil, purpose: SQLPurpose, limit: Int = 100
    ) throws -> String {
        try statement(for: query, form: form, purpose: purpose, limit: purpose == .count ? 0 : limit).statement.sql
    }

    /// Compiles each (expression, form, purpose, limit) once; later calls only rebind and step.
    private func statement(
        for query: BenchQuery, form: SQLForm?, purpose: SQLPurpose, limit: Int
    ) throws -> PreparedQuery {
        let form = form ?? Self.fastestForm(for: query.shape, purpose: purpose)
        let key = StatementKey(expression: query.expression, form: form, purpose: purpose, limit: limit)
        if let prepared = statements[key] { return prepared }
        for label in Set(query.expression.labels) where cardinalities[label] == nil {
            cardinalities[label] = try scalar("SELECT count(*) FROM asset_labels WHERE label_id = ?1", Int64(label))
        }
        if assetCount == nil { assetCount = try scalar("SELECT count(*) FROM assets") }
        let known = cardinalities
        let builder = SQLQueryBuilder(cardinality: { known[$0] ?? 0 }, assetCount: assetCount ?? 0)
        let text = builder.sql(for: query.expression, form: form, purpose: purpose, limit: limit)
        let prepared = PreparedQuery(statement: try connection.prepare(text.sql), parameters: text.parameters)
        statements[key] = prepared
        return prepared
    }

    /// The integer a one-row, one-column statement returns.
    private func scalar(_ sql: String, _ parameters: Int64...) throws -> Int {
        let statement = try fixedStatement(sql)
        statement.reset()
        try statement.bind(parameters)
        defer { statement.reset() }
        guard try statement.step() else {
            throw SQLiteError(code: SQLITE_ERROR, message: "no row", context: sql)
        }
        return Int(statement.int64(at: 0))
    }

    /// A statement with fixed text, compiled on first use.
    private func fixedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = fixedStatements[sql] { return statement }
        let statement = try connection.prepare(sql)
        fixedStatements[sql] = statement
        return statement
    }

    // MARK: Single writes

    /// Gives the asset at `ord` the label, as one transaction; returns whether it was absent.
    @discardableResult
    public func add(ord: Int, label: Int) throws -> Bool {
        try change("INSERT OR IGNORE INTO asset_labels(label_id, ord) VALUES (?1, ?2)", ord: ord, label: label)
    }

    /// Takes the label off the asset at `ord`, as one transaction; returns whether it was present.
    @discardableResult
    public func remove(ord: Int, label: Int) throws -> Bool {
        try change("DELETE FROM asset_labels WHERE label_id = ?1 AND ord = ?2", ord: ord, label: label)
    }

    /// Runs in autocommit mode: the statement is its own transaction (WAL append, no fsync).
    private func change(_ sql: String, ord: Int, label: Int) throws -> Bool {
        let statement = try fixedStatement(sql)
        statement.reset()
        try statement.bind(Int64(label), at: 1)
        try statement.bind(Int64(ord), at: 2)
        try statement.run()
        return connection.changes > 0
    }
}

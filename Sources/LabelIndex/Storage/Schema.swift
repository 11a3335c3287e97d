import LMDB

/// The named LMDB databases of a store and what each maps. All keys start with the
/// namespace id (big-endian u32) except in `meta`, `namespaces` and `appData`.
///
/// | database | key | value |
/// |---|---|---|
/// | meta | ASCII name | schema version, next namespace id |
/// | namespaces | namespace name | `NamespaceRecord` |
/// | namespaceNames | ns | namespace name |
/// | intKeys (DUPSORT, DUPFIXED) | ns | 12-byte entries: sortable int64 id, ordinal |
/// | typedKeys | ns, type, 0, id | ordinal u32 BE |
/// | records | ns, ordinal >> 3 | `RecordGroup` of up to 8 `AssetRecord`s (attributes + labels) |
/// | metadata | ns, ordinal | an asset's metadata bytes, when it has any |
/// | labels | ns, label id | `LabelRecord` |
/// | labelNames | ns, name | label id u32 BE |
/// | children (DUPSORT, DUPFIXED, INTEGERDUP) | ns, parent id (0 = root) | child ids |
/// | postings | ns, list, block u16 | `PostingsChunk` |
/// | postings | ns, list | the list's cardinality, u64 LE (sorts just before its chunks) |
/// | appData | application key | application value |
struct Schema: Sendable {
    let meta: Database
    let namespaces: Database
    let namespaceNames: Database
    let intKeys: Database
    let typedKeys: Database
    let records: Database
    let metadata: Database
    let labels: Database
    let labelNames: Database
    let children: Database
    let postings: Database
    let appData: Database

    static let version: UInt32 = 1
    static let versionKey = Array("schema_version".utf8)
    static let nextNamespaceKey = Array("next_namespace_id".utf8)

    private static let layout: [(name: String, flags: DatabaseFlags)] = [
        ("meta", []), ("namespaces", []), ("namespaceNames", []),
        ("intKeys", [.duplicateSort, .duplicateFixed]), ("typedKeys", []), ("records", []),
        ("labels", []), ("labelNames", []), ("children", [.duplicateSort, .duplicateFixed, .integerDuplicate]),
        ("postings", []), ("appData", []), ("metadata", []),
    ]

    static let databaseNames = layout.map(\.name)

    /// Opens every database, creating missing ones and checking the schema version.
    static func open(in txn: WriteTransaction) throws -> Schema {
        let handles = try layout.map { try txn.openDatabase(named: $0.name, flags: $0.flags.union(.create)) }
        let schema = Schema(handles)
        if let stored = try txn.value(in: schema.meta, forKey: versionKey) {
            try checkVersion(stored)
        } else {
            var writer = ByteWriter()
            writer.appendLittleEndian(version)
            try txn.put(writer.bytes, in: schema.meta, forKey: versionKey)
        }
        return schema
    }

    /// Opens the databases of an existing store without writing (read-only environments).
    static func openExisting(in txn: Transaction) throws -> Schema {
        let handles = try layout.map { entry -> Database in
            guard let db = try txn.openDatabase(named: entry.name) else {
                throw LabelIndexError.corrupted(
                    "database \(entry.name) is missing; open the store writable once to create it")
            }
            return db
        }
        let schema = Schema(handles)
        guard let stored = try txn.value(in: schema.meta, forKey: versionKey) else {
            throw LabelIndexError.corrupted("schema version missing")
        }
        try checkVersion(stored)
        return schema
    }

    private static func checkVersion(_ stored: [UInt8]) throws {
        let found = try stored.withUnsafeBytes { raw throws(LabelIndexError) in
            var reader = ByteReader(raw)
            return try reader.readLittleEndianUInt32()
        }
        guard found == version else { throw LabelIndexError.unsupportedSchema(found: found, supported: version) }
    }

    private init(_ handles: [Database]) {
        meta = handles[0]
        namespaces = handles[1]
        namespaceNames = handles[2]
        intKeys = handles[3]
        typedKeys = handles[4]
        records = handles[5]
        labels = handles[6]
        labelNames = handles[7]
        children = handles[8]
        postings = handles[9]
        appData = handles[10]
        metadata = handles[11]
    }

    var all: [(name: String, database: Database)] {
        zip(
            Self.databaseNames,
            [
                meta, namespaces, namespaceNames, intKeys, typedKeys, records, labels, labelNames, children, postings,
                appData, metadata,
            ]
        ).map { ($0, $1) }
    }
}

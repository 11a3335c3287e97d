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
/// | labelNames | ns, path (`LabelPath`) | label id u32 BE |
/// | labelsByName (DUPSORT, DUPFIXED, INTEGERDUP) | ns, name | ids of the labels with that name |
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
    let labelsByName: Database
    let children: Database
    let postings: Database
    let appData: Database

    /// 2: `labelNames` is keyed by path, and `labelsByName` added (schema 1 kept names unique
    /// and `labelNames` keyed by name; it is converted on a writable open).
    static let version: UInt32 = 2
    static let versionKey = Array("schema_version".utf8)
    static let nextNamespaceKey = Array("next_namespace_id".utf8)

    private static let layout: [(name: String, flags: DatabaseFlags)] = [
        ("meta", []), ("namespaces", []), ("namespaceNames", []),
        ("intKeys", [.duplicateSort, .duplicateFixed]), ("typedKeys", []), ("records", []),
        ("labels", []), ("labelNames", []), ("children", [.duplicateSort, .duplicateFixed, .integerDuplicate]),
        ("postings", []), ("appData", []), ("metadata", []),
        ("labelsByName", [.duplicateSort, .duplicateFixed, .integerDuplicate]),
    ]

    static let databaseNames = layout.map(\.name)

    /// Opens every database, creating missing ones, checking the schema version and
    /// converting a schema-1 store.
    static func open(in txn: WriteTransaction) throws -> Schema {
        let handles = try layout.map { try txn.openDatabase(named: $0.name, flags: $0.flags.union(.create)) }
        let schema = Schema(handles)
        if let stored = try txn.value(in: schema.meta, forKey: versionKey) {
            let found = try storedVersion(stored)
            guard found == 1 || found == version else {
                throw LabelIndexError.unsupportedSchema(found: found, supported: version)
            }
            if found == 1 {
                try PathIndexMigration.run(in: txn, schema: schema)
                try schema.writeVersion(in: txn)
            }
        } else {
            try schema.writeVersion(in: txn)
        }
        return schema
    }

    private func writeVersion(in txn: WriteTransaction) throws {
        var writer = ByteWriter()
        writer.appendLittleEndian(Self.version)
        try txn.put(writer.bytes, in: meta, forKey: Self.versionKey)
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
        let found = try storedVersion(stored)
        guard found == version else { throw LabelIndexError.unsupportedSchema(found: found, supported: version) }
        return schema
    }

    private static func storedVersion(_ stored: [UInt8]) throws -> UInt32 {
        try stored.withUnsafeBytes { raw throws(LabelIndexError) in
            var reader = ByteReader(raw)
            return try reader.readLittleEndianUInt32()
        }
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
        labelsByName = handles[12]
    }

    var all: [(name: String, database: Database)] {
        zip(
            Self.databaseNames,
            [
                meta, namespaces, namespaceNames, intKeys, typedKeys, records, labels, labelNames, children, postings,
                appData, metadata, labelsByName,
            ]
        ).map { ($0, $1) }
    }
}

import LMDB

/// Namespace records: name → `NamespaceRecord`, id → name, and the id counter.
enum NamespaceDirectory {
    static func record(of namespace: Namespace, in txn: Transaction, schema: Schema) throws -> NamespaceRecord? {
        try txn.withValue(in: schema.namespaces, forKey: Array(namespace.name.utf8)) { raw in
            try NamespaceRecord(decoding: raw)
        }
    }

    static func create(
        _ namespace: Namespace, createdAt: Int64, in txn: WriteTransaction, schema: Schema
    ) throws -> NamespaceRecord {
        let next =
            try txn.withValue(in: schema.meta, forKey: Schema.nextNamespaceKey) { raw in
                var reader = ByteReader(raw)
                return try reader.readLittleEndianUInt32()
            } ?? UInt32(1)
        guard next < UInt32.max else { throw LabelIndexError.corrupted("namespace ids exhausted") }
        var counter = ByteWriter()
        counter.appendLittleEndian(next + 1)
        try txn.put(counter.bytes, in: schema.meta, forKey: Schema.nextNamespaceKey)
        let record = NamespaceRecord(id: next, createdAt: createdAt)
        try store(record, of: namespace, in: txn, schema: schema)
        try Keys.namespace(next).withUnsafeBytes { key in
            try Array(namespace.name.utf8).withUnsafeBytes { name in
                try txn.put(name, in: schema.namespaceNames, forKey: key)
            }
        }
        return record
    }

    static func store(
        _ record: NamespaceRecord, of namespace: Namespace, in txn: WriteTransaction, schema: Schema
    )
        throws
    {
        try txn.put(record.encoded(), in: schema.namespaces, forKey: Array(namespace.name.utf8))
    }

    static func all(in txn: Transaction, schema: Schema) throws -> [Namespace] {
        try txn.withCursor(on: schema.namespaces) { cursor in
            var result: [Namespace] = []
            var op = CursorOperation.first
            while let name = try cursor.get(op, { key, _ in String(decoding: key, as: UTF8.self) }) {
                result.append(Namespace(name))
                op = .next
            }
            return result
        }
    }

    /// Removes the namespace's record and every entry under its id prefix in every database.
    static func delete(_ namespace: Namespace, in txn: WriteTransaction, schema: Schema) throws -> Bool {
        guard let record = try record(of: namespace, in: txn, schema: schema) else { return false }
        let prefix = Keys.namespace(record.id)
        for database in [
            schema.intKeys, schema.typedKeys, schema.records, schema.labels, schema.labelNames, schema.children,
            schema.postings, schema.namespaceNames, schema.metadata,
        ] {
            try prefix.withUnsafeBytes { prefixBytes in
                try txn.withCursor(on: database) { cursor in
                    while try cursor.get(.setRange(prefixBytes), { key, _ in key.starts(with: prefixBytes) }) == true {
                        try cursor.deleteCurrent(allDuplicates: database.flags.contains(.duplicateSort))
                    }
                }
            }
        }
        try txn.delete(from: schema.namespaces, key: Array(namespace.name.utf8))
        return true
    }
}

/// Cardinalities of postings lists, kept current by every write so estimates never decode.
/// A count lives in the postings database under the 8-byte key (namespace, list), which sorts
/// right before the list's chunks: updating it dirties a page the chunk update usually
/// dirtied already, instead of a page of yet another database.
///
/// The value is the count (u64 LE) and the list's version (u64 LE): the id of the last write
/// transaction that changed any of its chunks. Readers cache whole decoded lists under it.
enum Counts {
    struct State: Hashable {
        var count: Int
        var version: UInt64
    }

    static let valueSize = 16

    static func load(namespace: UInt32, list: UInt32, in txn: Transaction, schema: Schema) throws -> State {
        try Keys.pair(namespace, list).withUnsafeBytes { key in
            try txn.withValue(in: schema.postings, forKey: key) { raw in try decode(raw) }
                ?? State(count: 0, version: 0)
        }
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws(LabelIndexError) -> State {
        var reader = ByteReader(raw)
        let count = try reader.readLittleEndianUInt64()
        let version = try reader.readLittleEndianUInt64()
        guard reader.isAtEnd, count <= UInt64(UInt32.max) + 1 else {
            throw .corrupted("list counter of \(raw.count) bytes")
        }
        return State(count: Int(count), version: version)
    }

    static func store(_ state: State, namespace: UInt32, list: UInt32, in txn: WriteTransaction, schema: Schema) throws
    {
        try Keys.pair(namespace, list).withUnsafeBytes { key in
            if state.count == 0 {
                try txn.delete(from: schema.postings, key: key)
            } else {
                var value = ByteWriter(capacity: valueSize)
                value.appendLittleEndian(UInt64(state.count))
                value.appendLittleEndian(state.version)
                try value.bytes.withUnsafeBytes { try txn.put($0, in: schema.postings, forKey: key) }
            }
        }
    }
}

/// The `appData` database: a small key-value space for the application embedding the store.
enum ApplicationData {
    static let maxKeyBytes = 400

    static func value(forKey key: [UInt8], in txn: Transaction, schema: Schema) throws -> [UInt8]? {
        guard !key.isEmpty, key.count <= maxKeyBytes else { return nil }
        return try txn.value(in: schema.appData, forKey: key)
    }

    static func set(_ value: [UInt8]?, forKey key: [UInt8], in txn: WriteTransaction, schema: Schema) throws {
        guard !key.isEmpty, key.count <= maxKeyBytes else {
            throw LabelIndexError.valueTooLarge(field: "application key", bytes: key.count, limit: maxKeyBytes)
        }
        if let value {
            try txn.put(value, in: schema.appData, forKey: key)
        } else {
            try txn.delete(from: schema.appData, key: key)
        }
    }

    static func entries(
        withPrefix prefix: [UInt8], in txn: Transaction, schema: Schema
    ) throws -> [(
        key: [UInt8], value: [UInt8]
    )] {
        try txn.withCursor(on: schema.appData) { cursor in
            var result: [(key: [UInt8], value: [UInt8])] = []
            try prefix.withUnsafeBytes { prefixBytes in
                var op: CursorOperation = prefix.isEmpty ? .first : .setRange(prefixBytes)
                while let entry = try cursor.get(
                    op,
                    { key, value -> ([UInt8], [UInt8])? in
                        key.starts(with: prefixBytes) ? (Array(key), Array(value)) : nil
                    }), let (key, value) = entry
                {
                    result.append((key, value))
                    op = .next
                }
            }
            return result
        }
    }
}

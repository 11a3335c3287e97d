import LMDB

/// Schema 1 → 2: the label name index becomes a path index, beside a new index of names.
///
/// Schema 1 kept label names unique in a namespace and indexed every label by its name. Schema 2
/// keeps names unique among siblings, indexes every label by its path (`LabelPath`) and lists
/// the labels of each name in `labelsByName`. A top-level label's path is its name, so only
/// labels below the root get new path keys.
///
/// Two schema-1 labels could end up with one path: a top-level `a/b` and `b` under `a`. The
/// later one below the root (breadth first, then by id) is renamed to `b (12)`, its id in
/// parentheses, so no label is lost and every path stays unique.
enum PathIndexMigration {
    static func run(in txn: WriteTransaction, schema: Schema) throws {
        var byNamespace: [UInt32: [UInt32: LabelRecord]] = [:]
        try txn.withCursor(on: schema.labels) { cursor in
            var op = CursorOperation.first
            while let entry = try cursor.get(
                op,
                { key, value -> (UInt32, UInt32, LabelRecord)? in
                    guard key.count == 8 else { return nil }
                    return (
                        Keys.readBigEndianUInt32(key), Keys.readBigEndianUInt32(key, at: 4),
                        try LabelRecord(decoding: value)
                    )
                }), let (namespace, label, record) = entry
            {
                byNamespace[namespace, default: [:]][label] = record
                op = .next
            }
        }
        for (namespace, labels) in byNamespace { try migrate(labels, namespace: namespace, in: txn, schema: schema) }
    }

    private static func migrate(
        _ labels: [UInt32: LabelRecord], namespace: UInt32, in txn: WriteTransaction, schema: Schema
    ) throws {
        var children: [UInt32: [UInt32]] = [:]
        for (id, record) in labels { children[record.parent ?? 0, default: []].append(id) }
        let roots = (children[0] ?? []).sorted()
        var taken = Set(roots.map { labels[$0]!.name })
        var paths: [UInt32: String] = Dictionary(uniqueKeysWithValues: roots.map { ($0, labels[$0]!.name) })
        var frontier = roots
        var moved: [(id: UInt32, oldKey: String, path: String, renamed: LabelRecord?)] = []
        while !frontier.isEmpty {
            var next: [UInt32] = []
            for parent in frontier {
                for child in (children[parent] ?? []).sorted() {
                    var record = labels[child]!
                    var path = LabelPath.path(of: record.name, under: paths[parent])
                    var renamed: LabelRecord?
                    if taken.contains(path) {
                        record.name += " (\(child))"
                        renamed = record
                        path = LabelPath.path(of: record.name, under: paths[parent])
                    }
                    guard path.utf8.count <= LabelPath.limit, !taken.contains(path) else {
                        throw LabelIndexError.corrupted(
                            "label \(child) cannot get a path of at most \(LabelPath.limit) bytes "
                                + "(\"\(path.prefix(80))…\"); open the store with the previous version and shorten "
                                + "the names above it")
                    }
                    taken.insert(path)
                    paths[child] = path
                    moved.append((child, labels[child]!.name, path, renamed))
                    next.append(child)
                }
            }
            frontier = next
        }
        // Every old key goes before any new one is written: a new path may be another label's old name.
        for label in moved { _ = try txn.delete(from: schema.labelNames, key: Keys.labelName(namespace, label.oldKey)) }
        for label in moved {
            var value = ByteWriter()
            value.appendBigEndian(label.id)
            try txn.put(value.bytes, in: schema.labelNames, forKey: Keys.labelName(namespace, label.path))
            if let renamed = label.renamed {
                try Keys.pair(namespace, label.id).withUnsafeBytes { key in
                    try renamed.encoded().withUnsafeBytes { try txn.put($0, in: schema.labels, forKey: key) }
                }
            }
        }
        let renamed = Dictionary(
            uniqueKeysWithValues: moved.compactMap { label in label.renamed.map { (label.id, $0.name) } })
        for (id, record) in labels {
            try withUnsafeBytes(of: id) { value in
                try Keys.labelName(namespace, renamed[id] ?? record.name).withUnsafeBytes {
                    try txn.put(value, in: schema.labelsByName, forKey: $0)
                }
            }
        }
    }
}

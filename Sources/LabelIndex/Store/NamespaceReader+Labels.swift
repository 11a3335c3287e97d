import LMDB

extension NamespaceReader {
    // MARK: Label definitions

    public func label(_ labelID: LabelID) throws -> Label? {
        guard let stored = try labelRecord(labelID.rawValue) else { return nil }
        return try makeLabel(stored, id: labelID.rawValue)
    }

    /// The label `address` names; see `labelID(named:)`.
    public func label(named address: String) throws -> Label? {
        guard let labelID = try labelID(named: address) else { return nil }
        return try label(labelID)
    }

    /// The label `address` names (exact and case-sensitive): the label whose path (see
    /// `LabelPath`) it is, else the only label whose name it is. So `2025/Q1` names `Q1` under
    /// `2025`, and so does `Q1` while no top-level label and no other label is named `Q1`.
    /// `nil` when it names no label, or several (`labelIDs(withName:)` lists them).
    public func labelID(named address: String) throws -> LabelID? {
        if let id = try lookupPath(address) { return LabelID(id) }
        let namesakes = try labelIDs(withName: address, limit: 2)
        return namesakes.count == 1 ? namesakes[0] : nil
    }

    /// The labels named exactly `name`, under any parent, in id order (at most `limit`).
    public func labelIDs(withName name: String, limit: Int = .max) throws -> [LabelID] {
        try Keys.labelName(id, name).withUnsafeBytes { key in
            try ids(in: schema.labelsByName, under: key, limit: limit).map { LabelID($0) }
        }
    }

    /// Every label, in id (creation) order.
    public func labels() throws -> [Label] {
        var result: [Label] = []
        try transaction.withCursor(on: schema.labels) { cursor in
            try Keys.namespace(id).withUnsafeBytes { prefix in
                var op = CursorOperation.setRange(prefix)
                while let entry = try cursor.get(
                    op,
                    { key, value -> (UInt32, LabelRecord)? in
                        guard key.count == 8, key.starts(with: prefix) else { return nil }
                        return (Keys.readBigEndianUInt32(key, at: 4), try LabelRecord(decoding: value))
                    }), let (labelID, stored) = entry
                {
                    result.append(try makeLabel(stored, id: labelID))
                    op = .next
                }
            }
        }
        return result
    }

    /// Labels whose path or name starts with `prefix`, in path (byte) order: range scans of the
    /// path and name indexes, so the cost follows the number of matches, not of labels.
    public func labelIDs(withPrefix prefix: String) throws -> [LabelID] {
        try labelNames(withPrefix: prefix).map(\.id)
    }

    /// The ids and paths of the labels whose path or name starts with `prefix`, in path (byte)
    /// order.
    package func labelNames(withPrefix prefix: String) throws -> [(id: LabelID, name: String)] {
        var result = try pathsStarting(with: prefix)
        var seen = Set(result.map(\.id))
        var namesakes: [LabelID] = []
        try transaction.withCursor(on: schema.labelsByName) { cursor in
            try Keys.labelName(id, prefix).withUnsafeBytes { start in
                var op = CursorOperation.setRange(start)
                while try cursor.get(
                    op,
                    { key, value -> Bool in
                        guard key.starts(with: start), value.count == 4 else { return false }
                        namesakes.append(LabelID(value.loadUnaligned(as: UInt32.self)))
                        return true
                    }) == true
                {
                    op = .next
                }
            }
        }
        let pathMatches = result.count
        for label in namesakes where seen.insert(label).inserted {
            result.append((label, try labelPath(label.rawValue)))
        }
        if result.count > pathMatches { result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) } }
        return result
    }

    /// The ids and paths of the labels whose paths start with `prefix`, in path (byte) order,
    /// read from the path index alone (no label record is decoded).
    private func pathsStarting(with prefix: String) throws -> [(id: LabelID, name: String)] {
        var result: [(id: LabelID, name: String)] = []
        try transaction.withCursor(on: schema.labelNames) { cursor in
            try Keys.labelName(id, prefix).withUnsafeBytes { start in
                var op = CursorOperation.setRange(start)
                while let entry = try cursor.get(
                    op,
                    { key, value -> (LabelID, String)? in
                        guard key.starts(with: start), value.count == 4 else { return nil }
                        return (
                            LabelID(Keys.readBigEndianUInt32(value)), String(decoding: key.dropFirst(4), as: UTF8.self)
                        )
                    }) ?? nil
                {
                    result.append(entry)
                    op = .next
                }
            }
        }
        return result
    }

    public func labels(withPrefix prefix: String) throws -> [Label] {
        try labelIDs(withPrefix: prefix).compactMap { try label($0) }
    }

    // MARK: Hierarchy

    /// The direct children of `parent` (of the root when `nil`), in id order.
    public func children(of parent: LabelID?) throws -> [Label] {
        try childIDs(of: parent?.rawValue ?? 0).compactMap { try label(LabelID($0)) }
    }

    /// Every label below `label`, breadth first.
    public func descendants(of label: LabelID) throws -> [LabelID] {
        var result: [LabelID] = []
        var frontier = [label.rawValue]
        while !frontier.isEmpty {
            var next: [UInt32] = []
            for parent in frontier {
                let children = try childIDs(of: parent)
                result.append(contentsOf: children.map { LabelID($0) })
                next.append(contentsOf: children)
            }
            frontier = next
        }
        return result
    }

    /// The label's parent, grandparent, …, up to its root.
    public func ancestors(of label: LabelID) throws -> [LabelID] {
        var result: [LabelID] = []
        var current = try labelRecord(label.rawValue)?.parent
        while let parent = current {
            result.append(LabelID(parent))
            guard result.count <= store.options.maxHierarchyDepth else {
                throw LabelIndexError.corrupted("label hierarchy cycle above label \(label)")
            }
            current = try labelRecord(parent)?.parent
        }
        return result
    }

    /// The whole hierarchy: root labels with their subtrees, children in id order.
    public func labelTree() throws -> [LabelNode] {
        let all = try labels()
        var childrenByParent: [UInt32: [Label]] = [:]
        for label in all { childrenByParent[label.parent?.rawValue ?? 0, default: []].append(label) }
        // Depth is capped at write time, so this recursion is bounded by maxHierarchyDepth.
        func nodes(under parent: UInt32) -> [LabelNode] {
            (childrenByParent[parent] ?? []).map { LabelNode(label: $0, children: nodes(under: $0.id.rawValue)) }
        }
        return nodes(under: 0)
    }

    // MARK: Internals

    func labelRecord(_ labelID: UInt32) throws -> LabelRecord? {
        try Keys.pair(id, labelID).withUnsafeBytes { key in
            try transaction.withValue(in: schema.labels, forKey: key) { try LabelRecord(decoding: $0) }
        }
    }

    /// The id of the label whose path is `path`.
    func lookupPath(_ path: String) throws -> UInt32? {
        try transaction.withValue(in: schema.labelNames, forKey: Keys.labelName(id, path)) { raw in
            raw.count == 4 ? Keys.readBigEndianUInt32(raw) : nil
        } ?? nil
    }

    func makeLabel(_ stored: LabelRecord, id labelID: UInt32) throws -> Label {
        Label(
            id: LabelID(labelID), name: stored.name, path: try labelPath(labelID), color: LabelColor(rgb: stored.color),
            parent: stored.parent.map { LabelID($0) }, weight: stored.weight, createdAt: Clock.date(stored.createdAt),
            updatedAt: Clock.date(stored.updatedAt), assetCount: try count(of: labelID))
    }

    /// Children ids of `parent` (0 = root), read a page at a time with `MDB_GET_MULTIPLE`.
    func childIDs(of parent: UInt32) throws -> [UInt32] {
        try Keys.pair(id, parent).withUnsafeBytes { try ids(in: schema.children, under: $0) }
    }

    /// The label ids (u32, native order) held under `key` in a DUPFIXED database, at most
    /// `limit`, read a page at a time.
    private func ids(in database: Database, under key: UnsafeRawBufferPointer, limit: Int = .max) throws -> [UInt32] {
        try transaction.withCursor(on: database) { cursor in
            var result: [UInt32] = []
            try cursor.forEachDuplicatePage(ofKey: key) { values in
                for offset in stride(from: 0, to: values.count, by: 4) where result.count < limit {
                    result.append(values.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                }
            }
            return result
        }
    }
}

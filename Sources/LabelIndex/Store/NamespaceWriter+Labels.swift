import LMDB
import Roaring

extension NamespaceWriter {
    // MARK: Label definitions

    /// Creates a label. Its name must be unique among its siblings, and its path (see
    /// `LabelPath`) in the namespace.
    /// - Throws: `labelAlreadyExists` (the path is taken), `invalidLabelName`,
    ///   `labelPathTooLong`, `labelNotFound` (parent), `hierarchyTooDeep`.
    @discardableResult
    public func createLabel(_ new: NewLabel) throws -> Label {
        try validateLabelName(new.name)
        try Validation.checkWeight(new.weight)
        var parentPath: String?
        if let parent = new.parent {
            guard try labelRecord(parent.rawValue) != nil else { throw LabelIndexError.labelNotFound(parent) }
            let depth = try ancestors(of: parent).count + 2
            if depth > store.options.maxHierarchyDepth {
                throw LabelIndexError.hierarchyTooDeep(limit: store.options.maxHierarchyDepth)
            }
            parentPath = try labelPath(parent.rawValue)
        }
        let path = LabelPath.path(of: new.name, under: parentPath)
        try checkPathIsFree(path)
        guard record.nextLabelID <= NamespaceRecord.lastLabelID else { throw LabelIndexError.labelIDsExhausted }
        let labelID = record.nextLabelID
        let now = writer.now
        let stored = LabelRecord(
            name: new.name, color: (new.color ?? .default(forName: new.name)).rgb, parent: new.parent?.rawValue,
            weight: new.weight, createdAt: now, updatedAt: now)
        try putLabelRecord(stored, id: labelID)
        try putPathIndex(path, id: labelID)
        try putNameIndex(new.name, id: labelID)
        try linkChild(labelID, to: new.parent?.rawValue ?? 0)
        updateRecord {
            $0.nextLabelID += 1
            $0.labelCount += 1
        }
        return try makeLabel(stored, id: labelID)
    }

    /// The id of the label `address` names (see `labelID(named:)`), creating a top-level label
    /// named `address` (default color) if it names none.
    public func labelID(ensuring address: String) throws -> LabelID {
        if let existing = try labelID(named: address) { return existing }
        return try createLabel(NewLabel(name: address)).id
    }

    /// Renames, recolors, re-weights or moves a label. A rename or a move changes the paths of
    /// the label and of everything below it.
    /// - Throws: `labelNotFound`, `labelAlreadyExists` (a new path is taken), `invalidLabelName`,
    ///   `labelPathTooLong`, `hierarchyCycle`, `hierarchyTooDeep`.
    @discardableResult
    public func updateLabel(_ labelID: LabelID, _ update: LabelUpdate) throws -> Label {
        guard var stored = try labelRecord(labelID.rawValue) else { throw LabelIndexError.labelNotFound(labelID) }
        let renamed = update.name.map { $0 != stored.name } ?? false
        let moved = update.parent.map { $0.id?.rawValue != stored.parent } ?? false
        if renamed, let name = update.name { try validateLabelName(name) }
        if let weight = update.weight { try Validation.checkWeight(weight) }
        if moved, let parent = update.parent { try checkMove(labelID, under: parent.id) }
        if renamed || moved {
            let parent = moved ? update.parent?.id?.rawValue : stored.parent
            let parentPath = try parent.map { try labelPath($0) }
            try repath(labelID.rawValue, to: LabelPath.path(of: update.name ?? stored.name, under: parentPath))
        }
        if renamed, let name = update.name {
            try removeNameIndex(stored.name, id: labelID.rawValue)
            try putNameIndex(name, id: labelID.rawValue)
            stored.name = name
        }
        if moved, let parent = update.parent {
            try unlinkChild(labelID.rawValue, from: stored.parent ?? 0)
            try linkChild(labelID.rawValue, to: parent.id?.rawValue ?? 0)
            stored.parent = parent.id?.rawValue
        }
        if let color = update.color { stored.color = color.rgb }
        if let weight = update.weight { stored.weight = weight }
        stored.updatedAt = writer.now
        try putLabelRecord(stored, id: labelID.rawValue)
        return try makeLabel(stored, id: labelID.rawValue)
    }

    /// Deletes a label and all its sub-labels, unlinking them from every asset (the assets
    /// stay). Returns the deleted ids, the label first.
    @discardableResult
    public func deleteLabel(_ labelID: LabelID) throws -> [LabelID] {
        guard try labelRecord(labelID.rawValue) != nil else { throw LabelIndexError.labelNotFound(labelID) }
        let doomed = [labelID] + (try descendants(of: labelID))
        // Children before parents, so every unlinkChild (and labelPath) finds the parent present.
        for label in doomed.reversed() {
            let list = label.rawValue
            guard let stored = try labelRecord(list) else { continue }
            let path = try labelPath(list)
            for block in 0..<blockLimit {
                guard let members = try chunk(list: list, block: UInt16(block)) else { continue }
                for ordinal in members {
                    try modifyLabels(of: ordinal) { labels in labels.removeAll { $0.id == list } }
                }
            }
            try removeAllPostings(of: list)
            try writeTransaction.delete(from: schema.labelNames, key: Keys.labelName(id, path))
            try removeNameIndex(stored.name, id: list)
            try Keys.pair(id, list).withUnsafeBytes { key in
                try writeTransaction.delete(from: schema.labels, key: key)
                try writeTransaction.delete(from: schema.children, key: key)
            }
            try unlinkChild(list, from: stored.parent ?? 0)
            labelNameMemo[list] = nil
            updateRecord {
                $0.labelCount -= 1
                $0.labelGeneration += 1
            }
        }
        return doomed
    }

    // MARK: Links from the label's side

    /// Puts `label` on each of these assets (at the end of their labels). Already-linked assets
    /// are left as they are. Returns how many assets gained the label.
    /// - Throws: `labelNotFound`, or `assetNotFound` for the first key without an asset
    ///   (nothing is changed then: the whole transaction fails).
    @discardableResult
    public func link(_ keys: [AssetKey], to label: LabelID) throws -> Int {
        try change(label, on: keys, requiringAssets: true) { labels in
            if !labels.contains(where: { $0.id == label.rawValue }) {
                labels.append(AssetRecord.StoredLabel(id: label.rawValue, weight: nil))
            }
        }
    }

    /// Takes `label` off each of these assets; keys without an asset or without the label are
    /// ignored. Returns how many assets lost the label.
    @discardableResult
    public func unlink(_ keys: [AssetKey], from label: LabelID) throws -> Int {
        try change(label, on: keys, requiringAssets: false) { labels in labels.removeAll { $0.id == label.rawValue } }
    }

    /// Applies `transform` to the labels of each asset in `keys`; counts the assets it changed.
    private func change(
        _ label: LabelID, on keys: [AssetKey], requiringAssets: Bool,
        _ transform: (inout [AssetRecord.StoredLabel]) -> Void
    ) throws -> Int {
        guard try labelRecord(label.rawValue) != nil else { throw LabelIndexError.labelNotFound(label) }
        var changed = 0
        for key in keys {
            guard let ordinal = try lookupOrdinal(key) else {
                if requiringAssets { throw LabelIndexError.assetNotFound(key) }
                continue
            }
            if try modifyLabels(of: ordinal, transform) { changed += 1 }
        }
        return changed
    }

    // MARK: Resolving changes

    /// A `LabelChange` with names turned into ids (created where the change adds them).
    struct ResolvedChange {
        enum Kind { case append, replace, remove }
        let kind: Kind
        let labels: [AssetRecord.StoredLabel]

        func apply(to current: inout [AssetRecord.StoredLabel]) {
            switch kind {
            case .append:
                for label in labels {
                    if let position = current.firstIndex(where: { $0.id == label.id }) {
                        if let weight = label.weight { current[position].weight = weight }
                    } else {
                        current.append(label)
                    }
                }
            case .replace:
                current = labels
            case .remove:
                let doomed = LabelIDSet(labels)
                current.removeAll { doomed.contains($0.id) }
            }
        }
    }

    func resolve(_ change: LabelChange) throws -> ResolvedChange {
        switch change {
        case .append(let assignments): ResolvedChange(kind: .append, labels: try resolve(assignments))
        case .replace(let assignments): ResolvedChange(kind: .replace, labels: try resolve(assignments))
        case .remove(let names):
            ResolvedChange(
                kind: .remove,
                labels: try names.compactMap { name in
                    // A path may be longer than one name.
                    if let violation = NameRule.violation(of: name, limit: LabelPath.limit) {
                        throw LabelIndexError.invalidLabelName(name, violation)
                    }
                    return try labelID(named: name).map { AssetRecord.StoredLabel(id: $0.rawValue, weight: nil) }
                })
        }
    }

    /// Ids for the assignments, creating missing labels; a name repeated in the list counts
    /// once, at its first position (with its first weight).
    private func resolve(_ assignments: [LabelAssignment]) throws -> [AssetRecord.StoredLabel] {
        var result: [AssetRecord.StoredLabel] = []
        result.reserveCapacity(assignments.count)
        for assignment in assignments {
            try Validation.checkWeight(assignment.weight)
            let labelID = try labelID(ensuring: assignment.name).rawValue
            if !result.contains(where: { $0.id == labelID }) {
                result.append(AssetRecord.StoredLabel(id: labelID, weight: assignment.weight))
            }
        }
        return result
    }

    // MARK: Internals

    private func validateLabelName(_ name: String) throws {
        if let violation = NameRule.violation(of: name, limit: store.options.maxLabelNameBytes) {
            throw LabelIndexError.invalidLabelName(name, violation)
        }
    }

    /// Rejects moving `label` under `parent` when that makes a cycle or a too-deep tree.
    private func checkMove(_ label: LabelID, under parent: LabelID?) throws {
        guard let parent else { return }
        guard try labelRecord(parent.rawValue) != nil else { throw LabelIndexError.labelNotFound(parent) }
        let parentAncestors = try ancestors(of: parent)
        if parent == label || parentAncestors.contains(label) {
            throw LabelIndexError.hierarchyCycle(label: label, parent: parent)
        }
        let depth = parentAncestors.count + 1 + (try subtreeHeight(of: label))
        if depth > store.options.maxHierarchyDepth {
            throw LabelIndexError.hierarchyTooDeep(limit: store.options.maxHierarchyDepth)
        }
    }

    /// Levels in the subtree rooted at `label`, counting the label itself.
    private func subtreeHeight(of label: LabelID) throws -> Int {
        var height = 0
        var frontier = [label.rawValue]
        while !frontier.isEmpty {
            height += 1
            frontier = try frontier.flatMap { try childIDs(of: $0) }
        }
        return height
    }

    private func putLabelRecord(_ stored: LabelRecord, id labelID: UInt32) throws {
        try Keys.pair(id, labelID).withUnsafeBytes { key in
            try stored.encoded().withUnsafeBytes { try writeTransaction.put($0, in: schema.labels, forKey: key) }
        }
    }

    private func putPathIndex(_ path: String, id labelID: UInt32) throws {
        var value = ByteWriter()
        value.appendBigEndian(labelID)
        try writeTransaction.put(value.bytes, in: schema.labelNames, forKey: Keys.labelName(id, path))
    }

    private func putNameIndex(_ name: String, id labelID: UInt32) throws {
        try Keys.labelName(id, name).withUnsafeBytes { try add(labelID, in: schema.labelsByName, under: $0) }
    }

    private func removeNameIndex(_ name: String, id labelID: UInt32) throws {
        try Keys.labelName(id, name).withUnsafeBytes { try remove(labelID, from: schema.labelsByName, under: $0) }
    }

    /// Refuses a path that is too long or already names a label.
    private func checkPathIsFree(_ path: String) throws {
        let bytes = path.utf8.count
        if bytes > LabelPath.limit {
            throw LabelIndexError.labelPathTooLong(path, bytes: bytes, limit: LabelPath.limit)
        }
        if try lookupPath(path) != nil { throw LabelIndexError.labelAlreadyExists(path) }
    }

    /// Gives `label` the path `path` and its descendants the paths below it, in the path index.
    /// Every old path is removed before any new one is checked, so a subtree may move onto
    /// paths it held itself.
    private func repath(_ label: UInt32, to path: String) throws {
        let moving = try ([LabelID(label)] + descendants(of: LabelID(label))).compactMap { member in
            try labelRecord(member.rawValue).map { (id: member.rawValue, name: $0.name, parent: $0.parent ?? 0) }
        }
        for member in moving {
            try writeTransaction.delete(from: schema.labelNames, key: Keys.labelName(id, try labelPath(member.id)))
        }
        // Breadth first: every parent's new path is known before its children's.
        var newPaths: [UInt32: String] = [label: path]
        for member in moving {
            let memberPath = newPaths[member.id] ?? LabelPath.path(of: member.name, under: newPaths[member.parent])
            newPaths[member.id] = memberPath
            try checkPathIsFree(memberPath)
            try putPathIndex(memberPath, id: member.id)
        }
        labelNameMemo.removeAll()
        updateRecord { $0.labelGeneration += 1 }
    }

    private func linkChild(_ child: UInt32, to parent: UInt32) throws {
        try Keys.pair(id, parent).withUnsafeBytes { try add(child, in: schema.children, under: $0) }
    }

    private func unlinkChild(_ child: UInt32, from parent: UInt32) throws {
        try Keys.pair(id, parent).withUnsafeBytes { try remove(child, from: schema.children, under: $0) }
    }

    /// Adds a label id (u32, native order) to the ids under `key` in a DUPFIXED database.
    private func add(_ labelID: UInt32, in database: Database, under key: UnsafeRawBufferPointer) throws {
        try withUnsafeBytes(of: labelID) { try writeTransaction.put($0, in: database, forKey: key) }
    }

    private func remove(_ labelID: UInt32, from database: Database, under key: UnsafeRawBufferPointer) throws {
        try withUnsafeBytes(of: labelID) { _ = try writeTransaction.delete(from: database, key: key, value: $0) }
    }
}

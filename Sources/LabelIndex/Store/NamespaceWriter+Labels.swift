import LMDB
import Roaring

extension NamespaceWriter {
    // MARK: Label definitions

    /// Creates a label.
    /// - Throws: `labelAlreadyExists`, `invalidLabelName`, `labelNotFound` (parent),
    ///   `hierarchyTooDeep`.
    @discardableResult
    public func createLabel(_ new: NewLabel) throws -> Label {
        try validateLabelName(new.name)
        try Validation.checkWeight(new.weight)
        if try lookupLabelID(new.name) != nil { throw LabelIndexError.labelAlreadyExists(new.name) }
        if let parent = new.parent {
            guard try labelRecord(parent.rawValue) != nil else { throw LabelIndexError.labelNotFound(parent) }
            let depth = try ancestors(of: parent).count + 2
            if depth > store.options.maxHierarchyDepth {
                throw LabelIndexError.hierarchyTooDeep(limit: store.options.maxHierarchyDepth)
            }
        }
        guard record.nextLabelID <= NamespaceRecord.lastLabelID else { throw LabelIndexError.labelIDsExhausted }
        let labelID = record.nextLabelID
        let now = writer.now
        let stored = LabelRecord(
            name: new.name, color: (new.color ?? .default(forName: new.name)).rgb, parent: new.parent?.rawValue,
            weight: new.weight, createdAt: now, updatedAt: now)
        try putLabelRecord(stored, id: labelID)
        try putNameIndex(new.name, id: labelID)
        try linkChild(labelID, to: new.parent?.rawValue ?? 0)
        updateRecord {
            $0.nextLabelID += 1
            $0.labelCount += 1
        }
        return try makeLabel(stored, id: labelID)
    }

    /// The id of the label named `name`, creating it (default color, at the root) if needed.
    public func labelID(ensuring name: String) throws -> LabelID {
        if let existing = try lookupLabelID(name) { return LabelID(existing) }
        return try createLabel(NewLabel(name: name)).id
    }

    /// Renames, recolors, re-weights or moves a label.
    /// - Throws: `labelNotFound`, `labelAlreadyExists` (rename onto a taken name),
    ///   `hierarchyCycle`, `hierarchyTooDeep`.
    @discardableResult
    public func updateLabel(_ labelID: LabelID, _ update: LabelUpdate) throws -> Label {
        guard var stored = try labelRecord(labelID.rawValue) else { throw LabelIndexError.labelNotFound(labelID) }
        if let name = update.name, name != stored.name {
            try validateLabelName(name)
            if try lookupLabelID(name) != nil { throw LabelIndexError.labelAlreadyExists(name) }
            try writeTransaction.delete(from: schema.labelNames, key: Keys.labelName(id, stored.name))
            try putNameIndex(name, id: labelID.rawValue)
            stored.name = name
            labelNameMemo[labelID.rawValue] = nil
            updateRecord { $0.labelGeneration += 1 }
        }
        if let color = update.color { stored.color = color.rgb }
        if let weight = update.weight {
            try Validation.checkWeight(weight)
            stored.weight = weight
        }
        if let parent = update.parent, parent.id?.rawValue != stored.parent {
            try checkMove(labelID, under: parent.id)
            try unlinkChild(labelID.rawValue, from: stored.parent ?? 0)
            try linkChild(labelID.rawValue, to: parent.id?.rawValue ?? 0)
            stored.parent = parent.id?.rawValue
            updateRecord { $0.labelGeneration += 1 }
        }
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
        // Children before parents, so every unlinkChild finds its parent still present.
        for label in doomed.reversed() {
            let list = label.rawValue
            guard let stored = try labelRecord(list) else { continue }
            for block in 0..<blockLimit {
                guard let members = try chunk(list: list, block: UInt16(block)) else { continue }
                for ordinal in members {
                    try modifyLabels(of: ordinal) { labels in labels.removeAll { $0.id == list } }
                }
            }
            try removeAllPostings(of: list)
            try writeTransaction.delete(from: schema.labelNames, key: Keys.labelName(id, stored.name))
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
                    try validateLabelName(name)
                    return try lookupLabelID(name).map { AssetRecord.StoredLabel(id: $0, weight: nil) }
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

    private func putNameIndex(_ name: String, id labelID: UInt32) throws {
        var value = ByteWriter()
        value.appendBigEndian(labelID)
        try writeTransaction.put(value.bytes, in: schema.labelNames, forKey: Keys.labelName(id, name))
    }

    private func linkChild(_ child: UInt32, to parent: UInt32) throws {
        try Keys.pair(id, parent).withUnsafeBytes { key in
            try withUnsafeBytes(of: child) { try writeTransaction.put($0, in: schema.children, forKey: key) }
        }
    }

    private func unlinkChild(_ child: UInt32, from parent: UInt32) throws {
        try Keys.pair(id, parent).withUnsafeBytes { key in
            try withUnsafeBytes(of: child) {
                _ = try writeTransaction.delete(from: schema.children, key: key, value: $0)
            }
        }
    }
}

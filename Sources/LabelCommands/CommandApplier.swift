import Foundation
import LabelIndex
import LabelQuery
import Roaring

/// Applies commands inside a write transaction. Everything here reads only the transaction and
/// the command (the writer's `timestamp` is the submission's), so the same submissions applied
/// in the same order to equal stores leave equal stores.
enum CommandApplier {
    /// Applies every command of `submission` in order; a throwing command aborts the rest (the
    /// caller runs this in its own nested transaction, so the submission is all or nothing).
    /// - Throws: `CommandFailure` naming the command that failed.
    static func apply(_ submission: CommandSubmission, in writer: Writer) throws(CommandFailure) -> [CommandResult] {
        writer.timestamp = submission.timestamp
        var results: [CommandResult] = []
        results.reserveCapacity(submission.commands.count)
        for (index, command) in submission.commands.enumerated() {
            do { results.append(try apply(command, in: writer)) } catch {
                throw CommandFailure(index: index, underlying: error)
            }
        }
        return results
    }

    /// Query text of a selector is parsed with these limits: the text was checked against the
    /// caller's (smaller) limits when the command was made; apply must not reject it later.
    static let applyQueryLimits = QueryLimits(
        maxLength: 64 << 20, maxDepth: 256, maxTerms: 1 << 24, maxAssetReferences: 1 << 24, maxNameLength: 4_096,
        maxAssetTypeLength: 4_096, maxAssetIDLength: 4_096)

    static func apply(_ command: WriteCommand, in writer: Writer) throws -> CommandResult {
        switch command {
        case .upsertAsset(let namespace, let key, let attributes, let labels):
            let target = try writer.namespace(namespace)
            let outcome = try target.upsertAsset(key, attributes)
            if let labels { try target.apply(.replace(labels), to: key) }
            return .upserted(outcome)
        case .ensureAsset(let namespace, let key):
            let target = try writer.namespace(namespace)
            guard try !target.contains(key) else { return .ensured(created: false) }
            try target.upsertAsset(key)
            return .ensured(created: true)
        case .deleteAsset(let namespace, let key):
            return .deleted(try writer.existingNamespace(namespace)?.deleteAsset(key) ?? false)
        case .changeLabels(let namespace, let key, let change):
            // A missing namespace means a missing asset; looking must not create it.
            guard let target = try writer.existingNamespace(namespace) else { throw LabelIndexError.assetNotFound(key) }
            try target.apply(change, to: key)
            return .done
        case .createLabel(let namespace, let new):
            let target = try writer.namespace(namespace)
            let label = try target.createLabel(new)
            return .label(label, siblingPosition: try target.children(of: label.parent).count - 1)
        case .updateLabel(let namespace, let id, let update):
            guard let target = try writer.existingNamespace(namespace) else { throw LabelIndexError.labelNotFound(id) }
            return try labelResult(try target.updateLabel(id, update), in: target)
        case .setLabelWeight(let namespace, let name, let weight):
            let target = try writer.namespace(namespace)
            if let id = try target.labelID(named: name) {
                return try labelResult(try target.updateLabel(id, LabelUpdate(weight: .some(weight))), in: target)
            }
            let label = try target.createLabel(NewLabel(name: name, weight: weight))
            return .label(label, siblingPosition: try target.children(of: label.parent).count - 1)
        case .deleteLabel(let namespace, let id):
            guard let target = try writer.existingNamespace(namespace) else { throw LabelIndexError.labelNotFound(id) }
            return .deletedLabels(try target.deleteLabel(id))
        case .link(let namespace, let id, let keys, let createMissingAssets):
            guard let target = try writer.existingNamespace(namespace) else { throw LabelIndexError.labelNotFound(id) }
            if createMissingAssets {
                guard try target.label(id) != nil else { throw LabelIndexError.labelNotFound(id) }
                for key in keys where try !target.contains(key) { try target.upsertAsset(key) }
            }
            return .changed(try target.link(keys, to: id))
        case .unlink(let namespace, let id, let keys):
            guard let target = try writer.existingNamespace(namespace) else { throw LabelIndexError.labelNotFound(id) }
            return .changed(try target.unlink(keys, from: id))
        case .changeLabelsMatching(let namespace, let selector, let change):
            guard let target = try writer.existingNamespace(namespace) else { return .matched(matched: 0, changed: 0) }
            let selected = try ordinals(matching: selector, in: target)
            let changed = try target.apply(change, toOrdinals: selected)
            return .matched(matched: Int(selected.count), changed: changed)
        case .setApplicationValue(let key, let value):
            try writer.setApplicationValue(value, forKey: key)
            return .done
        case .removeApplicationValue(let key):
            guard try writer.applicationValue(forKey: key) != nil else { return .deleted(false) }
            try writer.setApplicationValue(nil, forKey: key)
            return .deleted(true)
        }
    }

    private static func labelResult(_ label: Label, in target: NamespaceWriter) throws -> CommandResult {
        .label(label, siblingPosition: try target.children(of: label.parent).firstIndex { $0.id == label.id } ?? 0)
    }

    /// The ordinals `selector` picks in `reader`, in ordinal order.
    static func ordinals(matching selector: AssetSelector, in reader: NamespaceReader) throws -> RoaringBitmap {
        let query = try PreparedQuery(selector.query, limits: applyQueryLimits)
        let matches = try reader.matches(query)
        guard selector.ordinals != nil || selector.integerKeysOnly || selector.attributes != nil else { return matches }
        var selected: [UInt32] = []
        for ordinal in matches {
            if let range = selector.ordinals {
                if ordinal < range.lowerBound { continue }
                if ordinal >= range.upperBound { break }
            }
            if selector.integerKeysOnly || selector.attributes != nil {
                guard let asset = try reader.asset(at: AssetOrdinal(ordinal)) else { continue }
                if selector.integerKeysOnly, case .typed = asset.key { continue }
                if let filter = selector.attributes, !filter.matches(asset) { continue }
            }
            selected.append(ordinal)
        }
        return RoaringBitmap(selected)
    }
}

extension AttributeFilter {
    /// Whether `asset` passes every condition.
    func matches(_ asset: Asset) -> Bool {
        if let nameContains, asset.name.range(of: nameContains, options: [.caseInsensitive]) == nil { return false }
        let created = Self.milliseconds(asset.createdAt)
        if let createdFrom, created < createdFrom { return false }
        if let createdBefore, created >= createdBefore { return false }
        if let notUpdatedSince, Self.milliseconds(asset.updatedAt) >= notUpdatedSince { return false }
        guard !stringMembers.isEmpty || !anyOfMembers.isEmpty || !trueMembers.isEmpty else { return true }
        let members = asset.metadata.flatMap { MetadataMembers(json: $0) }
        for member in stringMembers {
            guard case .string(let text) = members?[member.key], member.values.contains(text) else { return false }
        }
        for key in trueMembers where members?[key] != .bool(true) { return false }
        for member in anyOfMembers {
            guard let value = members?[member.key], value.matches(anyOf: member.values) else { return false }
        }
        return true
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

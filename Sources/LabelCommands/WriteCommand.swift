// LabelCommands: every mutation of a store as a value.
//
// This module owns the write commands (`WriteCommand`, grouped into a `CommandSubmission` per
// client request), their versioned binary encoding (`CommandCodec`), their deterministic apply,
// the single-node group commit (`LabelStore.submit`) and the replication entry points
// (`LabelStore.applyLogEntry`, `appliedSequences`). A command fixes everything apply cannot
// derive from the store (times, the namespace, generated ids), so two stores that apply the same
// sequence of submissions hold the same data. It depends on LabelIndex and LabelQuery only.

import Foundation
import LabelIndex

/// One mutation of a store. Each case that changes a namespace carries it; everything apply
/// would otherwise take from the clock or the caller is in the command (the submission's
/// `timestamp` is "now" for the whole submission).
public enum WriteCommand: Sendable, Hashable {
    /// Creates the asset or updates its attributes; `labels`, when given, then replace its labels.
    case upsertAsset(Namespace, AssetKey, AssetAttributes, labels: [LabelAssignment]?)
    /// Creates the asset with empty attributes unless it exists (it is then left as it is).
    case ensureAsset(Namespace, AssetKey)
    /// Deletes the asset (result `.deleted(false)` when there was none).
    case deleteAsset(Namespace, AssetKey)
    /// Appends, replaces or removes labels of one existing asset (`.replace([])` clears).
    /// Fails with `LabelIndexError.assetNotFound` when the asset (or its namespace) is missing.
    case changeLabels(Namespace, AssetKey, LabelChange)
    /// Creates a label (result `.label`).
    case createLabel(Namespace, NewLabel)
    /// Renames, recolors, re-weights or moves a label (result `.label`).
    case updateLabel(Namespace, LabelID, LabelUpdate)
    /// Sets the weight of the label named `name`, creating it (at the root) when missing.
    case setLabelWeight(Namespace, name: String, weight: Double?)
    /// Deletes a label and its subtree, unlinking every asset (result `.deletedLabels`).
    case deleteLabel(Namespace, LabelID)
    /// Puts the label on each asset (`createMissingAssets`: assets not seen before are created
    /// empty first; otherwise a missing asset fails the command). Result `.changed`.
    case link(Namespace, LabelID, [AssetKey], createMissingAssets: Bool)
    /// Takes the label off each asset; missing assets are ignored. Result `.changed`.
    case unlink(Namespace, LabelID, [AssetKey])
    /// Applies `change` to every asset `selector` matches when the command is applied (the query,
    /// never its expansion, is what is stored). Result `.matched`.
    case changeLabelsMatching(Namespace, AssetSelector, LabelChange)
    /// Stores (or, with `nil`, removes) an application value (API keys, job records).
    case setApplicationValue(key: [UInt8], value: [UInt8]?)
    /// Removes the application value at `key` only when one is present (result `.deleted`).
    case removeApplicationValue(key: [UInt8])

    /// The namespace the command changes; `nil` for application values.
    public var namespace: Namespace? {
        switch self {
        case .upsertAsset(let namespace, _, _, _), .ensureAsset(let namespace, _), .deleteAsset(let namespace, _),
            .changeLabels(let namespace, _, _), .createLabel(let namespace, _), .updateLabel(let namespace, _, _),
            .setLabelWeight(let namespace, _, _), .deleteLabel(let namespace, _), .link(let namespace, _, _, _),
            .unlink(let namespace, _, _), .changeLabelsMatching(let namespace, _, _):
            namespace
        case .setApplicationValue, .removeApplicationValue: nil
        }
    }
}

/// Which assets a `changeLabelsMatching` command changes: the assets matching `query` (the
/// LabelIndex query language) that also pass `attributes`, optionally only integer-id assets and
/// only ordinals in `ordinals` (the bounds of one chunk of a long job).
public struct AssetSelector: Sendable, Hashable {
    /// Query text; `*` matches every asset.
    public var query: String
    /// Only assets with an integer id (ProjectDiscovery's view of a namespace).
    public var integerKeysOnly: Bool
    /// Conditions on stored attributes, checked asset by asset; `nil` checks none.
    public var attributes: AttributeFilter?
    /// Only assets whose ordinal is in this range (a job's chunk); `nil` is every ordinal.
    public var ordinals: Range<UInt32>?

    public init(
        query: String, integerKeysOnly: Bool = false, attributes: AttributeFilter? = nil,
        ordinals: Range<UInt32>? = nil
    ) {
        self.query = query
        self.integerKeysOnly = integerKeysOnly
        self.attributes = attributes
        self.ordinals = ordinals
    }
}

/// Conditions on an asset's attributes and its metadata (a JSON object); all must hold.
public struct AttributeFilter: Sendable, Hashable {
    /// A top-level metadata member and the values it may have.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var values: [String]
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// Case-insensitive substring of the name.
    public var nameContains: String?
    /// `createdAt >= createdFrom` (ms since 1970).
    public var createdFrom: Int64?
    /// `createdAt < createdBefore`.
    public var createdBefore: Int64?
    /// `updatedAt < notUpdatedSince`.
    public var notUpdatedSince: Int64?
    /// The member is a string equal to one of the values.
    public var stringMembers: [Member]
    /// The member (a string, number, boolean, or an array holding one) equals one of the
    /// values, numbers compared by their JSON text.
    public var anyOfMembers: [Member]
    /// These members are `true`.
    public var trueMembers: [String]

    public init(
        nameContains: String? = nil, createdFrom: Int64? = nil, createdBefore: Int64? = nil,
        notUpdatedSince: Int64? = nil, stringMembers: [Member] = [], anyOfMembers: [Member] = [],
        trueMembers: [String] = []
    ) {
        self.nameContains = nameContains
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.notUpdatedSince = notUpdatedSince
        self.stringMembers = stringMembers
        self.anyOfMembers = anyOfMembers
        self.trueMembers = trueMembers
    }
}

/// One client request's writes: applied atomically (all or none) and isolated from the other
/// submissions of the same group commit or log entry.
public struct CommandSubmission: Sendable, Hashable {
    public var commands: [WriteCommand]
    /// The partition key (`nil`: system data, e.g. API keys).
    public var namespace: Namespace?
    /// "Now" for the whole submission, ms since 1970, fixed when it is made.
    public var timestamp: Int64
    /// Set by a client to have a retried request applied once.
    public var idempotencyKey: String?

    public init(
        commands: [WriteCommand], namespace: Namespace?, timestamp: Int64 = CommandSubmission.now(),
        idempotencyKey: String? = nil
    ) {
        self.commands = commands
        self.namespace = namespace
        self.timestamp = timestamp
        self.idempotencyKey = idempotencyKey
    }

    /// A submission of `commands` whose partition key is their namespace (the first one's).
    public init(_ commands: [WriteCommand], timestamp: Int64 = CommandSubmission.now(), idempotencyKey: String? = nil) {
        self.init(
            commands: commands, namespace: commands.lazy.compactMap(\.namespace).first, timestamp: timestamp,
            idempotencyKey: idempotencyKey)
    }

    /// The clock in ms since 1970, as a submission's `timestamp`.
    public static func now() -> Int64 {
        let value = (Date().timeIntervalSince1970 * 1000).rounded()
        return Int64(value)
    }
}

/// A submission failed: its command at `index` threw `underlying`, and the whole submission
/// was rolled back. Callers that answer per command (a bulk upsert naming the bad record) read
/// `index`; the others classify `underlying`.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The failing command's position in `CommandSubmission.commands`.
    public var index: Int
    /// What the command threw (a `LabelIndexError`, a `QueryError`, a storage error).
    public var underlying: any Error

    public init(index: Int, underlying: any Error) {
        self.index = index
        self.underlying = underlying
    }

    public var description: String { "command \(index): \(underlying)" }
}

/// What applying one command produced, for the reply to its request.
public enum CommandResult: Sendable, Hashable {
    /// `upsertAsset`: whether it was created, and its ordinal.
    case upserted(UpsertOutcome)
    /// `ensureAsset`: whether it had to be created.
    case ensured(created: Bool)
    /// `deleteAsset`, `removeApplicationValue`: whether there was something to delete.
    case deleted(Bool)
    /// `createLabel`, `updateLabel`, `setLabelWeight`: the label after the change, and its
    /// position among its siblings (creation order).
    case label(Label, siblingPosition: Int)
    /// `deleteLabel`: the deleted ids, the label first.
    case deletedLabels([LabelID])
    /// `link`, `unlink`: how many assets changed.
    case changed(Int)
    /// `changeLabelsMatching`: how many assets matched and how many of those changed.
    case matched(matched: Int, changed: Int)
    /// `changeLabels`, `setApplicationValue`: done, nothing to report.
    case done
}

extension CommandResult {
    /// `upsertAsset`'s outcome; `nil` for any other result.
    public var upsertOutcome: UpsertOutcome? {
        if case .upserted(let outcome) = self { outcome } else { nil }
    }

    /// The label and its sibling position of `createLabel`, `updateLabel`, `setLabelWeight`.
    public var label: (label: Label, siblingPosition: Int)? {
        if case .label(let label, let position) = self { (label, position) } else { nil }
    }

    /// Whether `deleteAsset` / `removeApplicationValue` found something to delete.
    public var deleted: Bool? {
        if case .deleted(let deleted) = self { deleted } else { nil }
    }

    /// How many assets `changeLabelsMatching` matched.
    public var matched: Int? {
        if case .matched(let matched, _) = self { matched } else { nil }
    }

    /// How many assets `link` / `unlink` changed.
    public var changedCount: Int? {
        if case .changed(let count) = self { count } else { nil }
    }
}

import LMDB

/// What went wrong. Every failed operation leaves the database as it was before the
/// transaction: errors thrown inside `write` roll the whole transaction back.
public enum LabelIndexError: Error, Hashable, Sendable {
    /// Why a name (label, namespace, asset type or string id) was rejected.
    public enum NameViolation: Hashable, Sendable {
        case empty
        case tooLong(bytes: Int, limit: Int)
        case controlCharacter(offset: Int)
    }

    case invalidLabelName(String, NameViolation)
    case invalidNamespaceName(String, NameViolation)
    case invalidAssetKey(AssetKey, NameViolation)
    case invalidAssetType(String, NameViolation)
    /// A value (asset name, metadata) is larger than its limit.
    case valueTooLarge(field: String, bytes: Int, limit: Int)
    /// Weights must be finite numbers.
    case invalidWeight(Double)
    case assetNotFound(AssetKey)
    case labelNotFound(LabelID)
    case labelNameNotFound(String)
    /// A label with this path (its name, at the top level) is already there.
    case labelAlreadyExists(String)
    /// The label's path (see `LabelPath`) would be longer than `limit` UTF-8 bytes.
    case labelPathTooLong(String, bytes: Int, limit: Int)
    /// Moving `label` under `parent` would make it its own ancestor.
    case hierarchyCycle(label: LabelID, parent: LabelID)
    /// The hierarchy would be deeper than `limit` levels.
    case hierarchyTooDeep(limit: Int)
    /// The namespace ran out of label ids (2³² − 16 creations).
    case labelIDsExhausted
    /// Every one of the namespace's ordinals is in use by a live asset.
    case assetCapacityReached(limit: Int)
    /// Stored bytes that do not decode: the file was damaged or written by something else.
    case corrupted(String)
    /// The database was created by an incompatible version of LabelIndex.
    case unsupportedSchema(found: UInt32, supported: UInt32)
    /// The file system holding the store at `path` has no room for a write (`ENOSPC`,
    /// `EDQUOT`, or LMDB's `EIO` for a short write while less than
    /// ``LabelIndexError/outOfSpaceThreshold`` bytes are free). The transaction was rolled back;
    /// reads go on working, and writes succeed again once space is freed.
    case outOfSpace(path: String, availableBytes: Int64?)
    case storage(LMDBError)

    /// Below this many free bytes, an `EIO` from a write is taken for a full disk: LMDB reports
    /// a short `pwrite` (what a full disk causes) as `EIO`, and a genuine device error on a disk
    /// with room to spare stays a ``storage(_:)`` error.
    public static let outOfSpaceThreshold: Int64 = 16 << 20

    /// Whether the error is about the caller's input (a name, a key, a missing label or asset),
    /// as opposed to the store's capacity or the system.
    public var isCausedByInput: Bool {
        switch self {
        case .invalidLabelName, .invalidNamespaceName, .invalidAssetKey, .invalidAssetType, .valueTooLarge,
            .invalidWeight, .assetNotFound, .labelNotFound, .labelNameNotFound, .labelAlreadyExists,
            .labelPathTooLong, .hierarchyCycle, .hierarchyTooDeep:
            true
        case .labelIDsExhausted, .assetCapacityReached, .corrupted, .unsupportedSchema, .outOfSpace, .storage:
            false
        }
    }
}

extension LabelIndexError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidLabelName(let name, let violation): "invalid label name \(quoted(name)): \(violation)"
        case .invalidNamespaceName(let name, let violation): "invalid namespace name \(quoted(name)): \(violation)"
        case .invalidAssetKey(let key, let violation): "invalid asset key \(quoted(key.description)): \(violation)"
        case .invalidAssetType(let type, let violation): "invalid asset type \(quoted(type)): \(violation)"
        case .valueTooLarge(let field, let bytes, let limit): "\(field) is \(bytes) bytes; the limit is \(limit)"
        case .invalidWeight(let weight): "weight \(weight) is not a finite number"
        case .assetNotFound(let key): "asset \(key) not found"
        case .labelNotFound(let id): "label \(id) not found"
        case .labelNameNotFound(let name): "label \(quoted(name)) not found"
        case .labelAlreadyExists(let name): "a label named \(quoted(name)) already exists"
        case .labelPathTooLong(let path, let bytes, let limit):
            "the label path \(quoted(path)) would be \(bytes) UTF-8 bytes long; the limit is \(limit)"
        case .hierarchyCycle(let label, let parent): "moving label \(label) under \(parent) would create a cycle"
        case .hierarchyTooDeep(let limit): "the label hierarchy would be deeper than \(limit) levels"
        case .labelIDsExhausted: "the namespace has no label ids left"
        case .assetCapacityReached(let limit): "the namespace holds its maximum of \(limit) assets"
        case .corrupted(let detail): "stored data is corrupted: \(detail)"
        case .unsupportedSchema(let found, let supported) where found < supported:
            "the database has schema version \(found), from an older LabelIndex; open it writable once "
                + "(for example with `labelindex serve` or `import`) to convert it to version \(supported)"
        case .unsupportedSchema(let found, let supported):
            "database schema version \(found) is not supported (this build reads version \(supported))"
        case .outOfSpace(let path, let available):
            "the disk holding \(path) is full"
                + (available.map { " (\($0) bytes free)" } ?? "")
                + ": the write was not made; free some space and retry"
        case .storage(let error): error.description
        }
    }
}

extension LabelIndexError.NameViolation: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "it is empty"
        case .tooLong(let bytes, let limit): "it is \(bytes) UTF-8 bytes long; the limit is \(limit)"
        case .controlCharacter(let offset): "it contains a control character at byte \(offset)"
        }
    }
}

private func quoted(_ text: String) -> String {
    let shown = text.utf8.count > 80 ? String(text.prefix(77)) + "…" : text
    return "\"\(shown)\""
}

import Foundation
import LabelCommands
import LabelIndex

/// A newly created API key. `secret` is the full key a client sends; it is shown only here:
/// the store keeps nothing but its SHA-256.
public struct CreatedAPIKey: Sendable, Hashable {
    /// The key's public handle, for `list` and `revoke`.
    public var id: String
    /// The full key (`lix_<id>_<random>`), to hand to the client once.
    public var secret: String
    public var account: String
    /// The scopes the key grants; `nil` grants every scope of the account.
    public var scopes: [String]?
    public var note: String?
    public var createdAt: Date
}

/// What `APIKeyStore.list()` shows about a key: never its secret.
public struct APIKeyInfo: Sendable, Hashable {
    public var id: String
    public var account: String
    /// `nil` grants every scope of the account.
    public var scopes: [String]?
    public var note: String?
    public var createdAt: Date
}

/// Why a key could not be created.
public enum APIKeyStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Accounts are 1 to 32 characters of `a-z`, `0-9`, `_` and `-`, starting with a letter or digit.
    case invalidAccount(String)
    /// Scopes are `default`, `team/<id>` or `program/<id>`.
    case invalidScope(String, reason: String)
    /// An explicit scope list must name at least one scope (pass `nil` for all scopes).
    case emptyScopeList
    /// Notes are at most 200 bytes.
    case noteTooLong(limit: Int)

    public var description: String {
        switch self {
        case .invalidAccount(let account):
            "invalid account \"\(account)\": use 1 to 32 characters of a-z, 0-9, _ and -, starting with a letter or digit"
        case .invalidScope(let scope, let reason): "invalid scope \"\(scope)\": \(reason)"
        case .emptyScopeList: "the scope list is empty; omit it to grant every scope of the account"
        case .noteTooLong(let limit): "the note is longer than \(limit) bytes"
        }
    }
}

/// API keys, kept in the store's application data. Each key belongs to one account and grants
/// all of its scopes or an explicit list of them. Only a SHA-256 of each key is stored, and
/// keys are compared in constant time.
///
/// ```swift
/// let keys = APIKeyStore(store: store)
/// let created = try keys.create(account: "acme", scopes: ["team/blue"], note: "CI")
/// print(created.secret)          // shown once
/// try keys.revoke(id: created.id)
/// ```
public struct APIKeyStore: Sendable {
    private let store: LabelStore

    public init(store: LabelStore) { self.store = store }

    /// Creates a key for `account`. `scopes` `nil` grants every scope of the account.
    public func create(account: String, scopes: [String]?, note: String?) throws -> CreatedAPIKey {
        let (command, created) = try Self.creation(account: account, scopes: scopes, note: note)
        try store.apply(CommandSubmission([command]))
        return created
    }

    /// The command that stores a new key for `account`, and the key (its secret exists only
    /// here): what `create` applies, for a caller that sends the command elsewhere (a
    /// replicated log).
    public static func creation(
        account: String, scopes: [String]?, note: String?
    ) throws -> (command: WriteCommand, key: CreatedAPIKey) {
        guard Self.isValidAccount(account) else { throw APIKeyStoreError.invalidAccount(account) }
        var parsedScopes: [String]?
        if let scopes {
            guard !scopes.isEmpty else { throw APIKeyStoreError.emptyScopeList }
            var seen: [String] = []
            for scope in scopes {
                do {
                    let parsed = try TenantScope(parsing: scope)
                    if !seen.contains(parsed.description) { seen.append(parsed.description) }
                } catch { throw APIKeyStoreError.invalidScope(scope, reason: error.reason) }
            }
            parsedScopes = seen
        }
        if let note, note.utf8.count > Self.noteLimit { throw APIKeyStoreError.noteTooLong(limit: Self.noteLimit) }
        let token = APIKeyToken.generate()
        let createdAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        let record = APIKeyRecord(
            id: token.id, account: account, scopes: parsedScopes, note: note,
            createdAtMilliseconds: Int64(createdAt.timeIntervalSince1970 * 1000), sha256: token.digestHex)
        let command = WriteCommand.setApplicationValue(
            key: APIKeyRecord.storageKey(id: token.id), value: try record.encoded())
        let created = CreatedAPIKey(
            id: token.id, secret: token.secret, account: account, scopes: parsedScopes, note: note, createdAt: createdAt
        )
        return (command, created)
    }

    /// Every key, oldest first.
    public func list() throws -> [APIKeyInfo] {
        let entries = try store.read { try $0.applicationEntries(withPrefix: APIKeyRecord.storagePrefix) }
        return try entries.map { try APIKeyRecord.decode($0.value).info }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Deletes the key; requests using it fail from then on. Returns false when there was no
    /// such key.
    @discardableResult
    public func revoke(id: String) throws -> Bool {
        guard let command = Self.revocation(id: id) else { return false }
        return try store.apply(CommandSubmission([command])).result(0, \.deleted)
    }

    /// The command that deletes the key `id` (its result says whether there was one); `nil`
    /// when `id` cannot name a key.
    public static func revocation(id: String) -> WriteCommand? {
        guard APIKeyToken.isValidID(id) else { return nil }
        return .removeApplicationValue(key: APIKeyRecord.storageKey(id: id))
    }

    static let noteLimit = 200

    static func isValidAccount(_ account: String) -> Bool {
        let bytes = Array(account.utf8)
        guard (1...32).contains(bytes.count) else { return false }
        for (position, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            case UInt8(ascii: "_") where position > 0, UInt8(ascii: "-") where position > 0: continue
            default: return false
            }
        }
        return true
    }
}

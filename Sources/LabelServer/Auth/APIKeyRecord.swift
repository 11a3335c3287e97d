import Foundation

/// The stored form of a key.
struct APIKeyRecord: Codable, Equatable {
    var id: String
    var account: String
    var scopes: [String]?
    var note: String?
    var createdAtMilliseconds: Int64
    /// Lower-case hex SHA-256 of the full key.
    var sha256: String

    static let storagePrefix = Array("labelserver/apikey/".utf8)

    static func storageKey(id: String) -> [UInt8] { storagePrefix + Array(id.utf8) }

    func encoded() throws -> [UInt8] { Array(try JSONEncoder().encode(self)) }

    static func decode(_ bytes: [UInt8]) throws -> APIKeyRecord {
        try JSONDecoder().decode(APIKeyRecord.self, from: Data(bytes))
    }

    func grant() throws -> AccessGrant {
        let scopes = try scopes.map { try Set($0.map { try TenantScope(parsing: $0) }) }
        return AccessGrant(account: account, scopes: scopes, keyID: id)
    }

    var info: APIKeyInfo {
        APIKeyInfo(
            id: id, account: account, scopes: scopes, note: note,
            createdAt: Date(timeIntervalSince1970: Double(createdAtMilliseconds) / 1000))
    }
}

import HTTPTypes
import Hummingbird

/// One request, one key. Where a family takes its key in more than one place (native:
/// `Authorization: Bearer` and `X-API-Key`; `/API`: the `APIKEY` header and `?apiKey=`), or a
/// client repeats a key header, every copy must be the same key: a request carrying two
/// different keys is refused as unauthenticated (each family's 401 body, ActionHub's 403),
/// never served as whichever key happened to be read first.
enum RequestCredential {
    /// The key the request carries, nil when none; `sources` are each place's values.
    static func key(_ sources: [(place: String, values: [String])]) throws(ConflictingCredentials) -> String? {
        let given = sources.filter { !$0.values.isEmpty }
        let distinct = Set(given.flatMap(\.values))
        guard distinct.count <= 1 else { throw ConflictingCredentials(places: given.map(\.place)) }
        return distinct.first
    }

    /// Every value of the header `name`.
    static func values(_ request: Request, _ name: HTTPField.Name) -> [String] { request.headers[values: name] }

    /// The keys of every `Authorization: Bearer <key>` header (other schemes carry none).
    static func bearerKeys(_ request: Request) -> [String] {
        request.headers[values: .authorization].compactMap { value in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return String(parts[1].trimmingWhitespace())
        }
    }
}

/// A request carried different keys.
struct ConflictingCredentials: Error, Equatable {
    var places: [String]
    var message: String {
        "conflicting credentials: \(places.joined(separator: " and ")) carry different keys; send one key"
    }
}

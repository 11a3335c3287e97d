import LabelIndex

/// One tenant area of an account, and the engine namespace that holds it.
///
/// | Scope          | Reached by                                   | Namespace                   |
/// |----------------|----------------------------------------------|-----------------------------|
/// | `default`      | PD calls without `X-Team-Id`, every `/API` call | `<account>/default`      |
/// | `team/<id>`    | PD calls with `X-Team-Id: <id>`              | `<account>/team/<id>`       |
/// | `program/<id>` | ActionHub calls with `program-id: <id>`      | `<account>/program/<id>`    |
///
/// `/v1/...` calls pick one with `X-Namespace: default | team/<id> | program/<id>`.
enum TenantScope: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case team(String)
    case program(String)

    /// Longest team or program id, in UTF-8 bytes.
    static let maximumIdentifierBytes = 64

    /// Parses `default`, `team/<id>` or `program/<id>`.
    init(parsing text: String) throws(ScopeSyntaxError) {
        if text == "default" {
            self = .default
        } else if text.hasPrefix("team/") {
            let id = String(text.dropFirst("team/".count))
            if let problem = Self.problem(withIdentifier: id) { throw ScopeSyntaxError(scope: text, reason: problem) }
            self = .team(id)
        } else if text.hasPrefix("program/") {
            let id = String(text.dropFirst("program/".count))
            if let problem = Self.problem(withIdentifier: id) { throw ScopeSyntaxError(scope: text, reason: problem) }
            self = .program(id)
        } else {
            throw ScopeSyntaxError(scope: text, reason: "a scope is `default`, `team/<id>` or `program/<id>`")
        }
    }

    var description: String {
        switch self {
        case .default: "default"
        case .team(let id): "team/\(id)"
        case .program(let id): "program/\(id)"
        }
    }

    func namespace(account: String) -> Namespace { Namespace("\(account)/\(description)") }

    /// Why `id` cannot be a team or program id, or `nil` when it can: 1 to 64 UTF-8 bytes,
    /// no `/` (it would blur the namespace layout), not `.` or `..` (path segments every tool
    /// reads as "here" and "up"), no control or whitespace characters, and valid UTF-8.
    static func problem(withIdentifier id: String) -> String? {
        if id.isEmpty { return "the id is empty" }
        if id == "." || id == ".." { return "the id is `\(id)`" }
        if id.utf8.count > maximumIdentifierBytes { return "the id is longer than \(maximumIdentifierBytes) bytes" }
        for scalar in id.unicodeScalars {
            if scalar == "/" { return "the id contains `/`" }
            // What a header's bytes that are not UTF-8 decode to: no id has it.
            if scalar == "\u{FFFD}" { return "the id is not valid UTF-8" }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                return "the id contains whitespace or a control character"
            }
        }
        return nil
    }
}

struct ScopeSyntaxError: Error, Equatable, CustomStringConvertible {
    var scope: String
    var reason: String
    var description: String { "invalid scope \"\(scope)\": \(reason)" }
}

/// What a request may touch: the key's account and the scopes of that account it grants.
struct AccessGrant: Sendable, Equatable {
    /// The account every namespace of this request belongs to.
    var account: String
    /// `nil` grants every scope of the account.
    var scopes: Set<TenantScope>?
    /// The API key's id, or `nil` in `--no-auth` mode.
    var keyID: String?

    func allows(_ scope: TenantScope) -> Bool { scopes?.contains(scope) ?? true }

    func namespace(for scope: TenantScope) -> Namespace { scope.namespace(account: account) }

    /// The account `--no-auth` requests act as, with every scope.
    static let development = AccessGrant(account: "dev", scopes: nil, keyID: nil)
}

import HTTPTypes
import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex
import LabelQuery
import Logging

/// The `/v1` error body: `{"error": "<code>", "message": "…", …details}`.
struct NativeError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: JSONObject = [:]

    static let missingKey = NativeError(
        status: .unauthorized, code: "unauthorized",
        message: "missing API key: send Authorization: Bearer <key> or X-API-Key")
    static let invalidKey = NativeError(status: .unauthorized, code: "unauthorized", message: "invalid API key")

    static func notFound(_ message: String) -> NativeError {
        NativeError(status: .notFound, code: "not_found", message: message)
    }

    var response: Response {
        var body: JSONObject = ["error": .string(code), "message": .string(message)]
        for (key, value) in details.entries { body[key] = value }
        return .json(.object(body), status: status)
    }

    /// A query syntax error with everything a client needs to point at the problem.
    static func query(_ error: QuerySyntaxError) -> NativeError {
        NativeError(
            status: .badRequest, code: "invalid_query", message: error.message,
            details: [
                "offset": .int(error.offset), "length": .int(error.length), "line": .int(error.line),
                "column": .int(error.column), "endColumn": .int(error.endColumn), "fragment": .string(error.fragment),
                "expected": .string(error.expected), "hint": error.hint.json,
            ])
    }

    static func from(_ error: any Error, logger: Logger) -> NativeError {
        switch error {
        case let error as NativeError: return error
        // A failed submission answers as the command's own error would.
        case let failure as CommandFailure: return from(failure.underlying, logger: logger)
        case let error as InputError:
            var details: JSONObject = ["location": .string(error.location.source.rawValue)]
            if !error.location.elements.isEmpty { details["field"] = .string(error.location.path) }
            return NativeError(status: .badRequest, code: "invalid_request", message: error.message, details: details)
        case let error as PayloadTooLarge:
            return NativeError(
                status: .payloadTooLarge, code: "payload_too_large", message: error.message,
                details: ["limit": .int(error.limit)])
        case let error as FilterSyntaxError: return query(error.error)
        case let error as QueryError:
            switch error {
            case .syntax(let syntax): return query(syntax)
            case .invalidCursor, .cursorMismatch:
                return NativeError(status: .badRequest, code: "invalid_cursor", message: error.description)
            case .tooDeep, .ambiguousLabel:
                return NativeError(status: .badRequest, code: "invalid_query", message: error.description)
            case .limitOutOfRange:
                return NativeError(status: .badRequest, code: "invalid_request", message: error.description)
            case .tooManyExpandedLabels, .workBudgetExceeded, .timeLimitExceeded, .cancelled:
                let cost = QueryCostError(error)
                var details: JSONObject = ["limit": .string(cost.limit), "maximum": .int(cost.maximum)]
                if let found = cost.found { details["found"] = .int(found) }
                return NativeError(status: cost.status, code: cost.code, message: error.description, details: details)
            }
        default:
            let failure = EngineFailure(error)
            let code: String
            switch failure.kind {
            case .invalid: code = "invalid_request"
            case .assetNotFound, .labelNotFound: code = "not_found"
            case .conflict: code = "conflict"
            case .capacity: code = "insufficient_storage"
            case .unavailable: code = "unavailable"
            case .internalError:
                logger.error("request failed", metadata: ["error": "\(error)"])
                return NativeError(status: failure.status, code: "internal", message: "internal server error")
            }
            return NativeError(status: failure.status, code: code, message: failure.message)
        }
    }
}

/// Who is calling a `/v1` endpoint and in which namespace.
struct NativeCaller: Sendable {
    var grant: AccessGrant
    var scope: TenantScope
    var namespace: Namespace

    /// Authenticates (`Authorization: Bearer <key>` or `X-API-Key`) and resolves
    /// `X-Namespace` (`default` when absent).
    static func resolve(_ request: Request, runtime: ServerRuntime) throws -> NativeCaller {
        let grant = try authenticate(request, runtime: runtime)
        var scope = TenantScope.default
        if let text = request.headers[HTTPFieldNames.namespace], !text.isEmpty {
            do { scope = try TenantScope(parsing: text) } catch {
                throw InputError(.header("X-Namespace"), .invalidValue("is not a scope: \(error.reason)"))
            }
        }
        guard grant.allows(scope) else {
            throw NativeError(status: .forbidden, code: "forbidden", message: "this API key has no access to \(scope)")
        }
        return NativeCaller(grant: grant, scope: scope, namespace: grant.namespace(for: scope))
    }

    static func authenticate(_ request: Request, runtime: ServerRuntime) throws -> AccessGrant {
        let key: String?
        do {
            key = try RequestCredential.key([
                ("Authorization: Bearer", RequestCredential.bearerKeys(request)),
                ("X-API-Key", RequestCredential.values(request, HTTPFieldNames.apiKey)),
            ])
        } catch {
            throw NativeError(status: .unauthorized, code: "unauthorized", message: error.message)
        }
        guard let grant = try runtime.authenticate(key) else {
            throw key == nil ? NativeError.missingKey : NativeError.invalidKey
        }
        return grant
    }
}

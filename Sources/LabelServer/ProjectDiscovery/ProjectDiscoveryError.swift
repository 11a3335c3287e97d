import HTTPTypes
import Hummingbird
import LabelCommands
import LabelFormats
import LabelQuery
import Logging

/// PDCP's `ErrorResponse`: `{"message", "code", "status", "param"?, "error"?}`.
struct ProjectDiscoveryError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var param: String?
    var detail: String?

    static let invalidAssetID = ProjectDiscoveryError(
        status: .badRequest, code: "INVALID_ID", message: "Invalid asset ID format", param: "asset_id")
    static let assetNotFound = ProjectDiscoveryError(status: .notFound, code: "NOT_FOUND", message: "Asset not found")
    static let missingKey = ProjectDiscoveryError(
        status: .unauthorized, code: "UNAUTHORIZED", message: "Missing API key: send it in the X-API-Key header")
    static let invalidKey = ProjectDiscoveryError(
        status: .unauthorized, code: "UNAUTHORIZED", message: "Invalid API key")

    var response: Response {
        var body: JSONObject = ["message": .string(message), "code": .string(code), "status": .int(status.code)]
        if let param { body["param"] = .string(param) }
        if let detail { body["error"] = .string(detail) }
        return .json(.object(body), status: status)
    }

    /// Any error thrown by a PD handler, as PDCP would report it.
    static func from(_ error: any Error, logger: Logger) -> ProjectDiscoveryError {
        switch error {
        case let error as ProjectDiscoveryError:
            return error
        // A failed submission answers as the command's own error would.
        case let failure as CommandFailure: return from(failure.underlying, logger: logger)
        case let error as InputError:
            let code: String
            switch (error.location.source, error.kind) {
            case (_, .malformedJSON): code = "INVALID_JSON"
            case (.body, _): code = "INVALID_BODY"
            default: code = "INVALID_PARAM"
            }
            let param = error.location.elements.isEmpty ? nil : error.location.path
            return ProjectDiscoveryError(status: .badRequest, code: code, message: error.message, param: param)
        case let error as FilterSyntaxError:
            return ProjectDiscoveryError(
                status: .badRequest, code: "INVALID_FILTER", message: "invalid custom_filter: \(error.error.message)",
                param: "filters.custom_filter", detail: error.error.description)
        case let error as PayloadTooLarge:
            return ProjectDiscoveryError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: error.message)
        case let error as QueryError where QueryCostError.applies(to: error):
            let cost = QueryCostError(error)
            return ProjectDiscoveryError(
                status: cost.status, code: cost.code.uppercased(), message: error.description, param: "filters",
                detail: cost.limit)
        default:
            let failure = EngineFailure(error)
            switch failure.kind {
            case .assetNotFound: return .assetNotFound
            case .invalid, .labelNotFound:
                return ProjectDiscoveryError(status: .badRequest, code: "INVALID_BODY", message: failure.message)
            case .conflict: return ProjectDiscoveryError(status: .conflict, code: "CONFLICT", message: failure.message)
            case .capacity:
                return ProjectDiscoveryError(status: failure.status, code: "CAPACITY", message: failure.message)
            case .unavailable:
                return ProjectDiscoveryError(status: failure.status, code: "UNAVAILABLE", message: failure.message)
            case .internalError:
                logger.error("request failed", metadata: ["error": "\(error)"])
                return ProjectDiscoveryError(status: failure.status, code: "INTERNAL", message: "Internal server error")
            }
        }
    }
}

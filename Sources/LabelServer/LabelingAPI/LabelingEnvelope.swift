import HTTPTypes
import Hummingbird
import LabelCommands
import LabelFormats
import Logging

/// The Labeling API's reply envelope: `{"responseCode", "message", "content"}`. Errors carry
/// the same status in HTTP and in `responseCode`, and `content: ""`.
struct LabelingError: Error {
    var status: HTTPResponse.Status
    var message: String

    static let labelNotFound = LabelingError(status: .notFound, message: "Label not found")

    /// The `parent` (or `parent_label_id`) of a create or update names no label.
    static func parentNotFound(_ id: String) -> LabelingError {
        LabelingError(status: .notFound, message: "Label not found: body field `parent` names no label (\(id))")
    }

    /// The Jotform wording for a missing or bad key, naming the operation
    /// (`/label/{id}/resources` becomes `/label-id-resources`).
    static func unauthorized(operation: String) -> LabelingError {
        LabelingError(status: .unauthorized, message: "You're not authorized to use (\(operation)) ")
    }

    var response: Response {
        .json(["responseCode": .int(status.code), "message": .string(message), "content": ""], status: status)
    }

    static func from(_ error: any Error, logger: Logger) -> LabelingError {
        switch error {
        case let error as LabelingError: return error
        // A failed submission answers as the command's own error would.
        case let failure as CommandFailure: return from(failure.underlying, logger: logger)
        case let error as InputError: return LabelingError(status: .badRequest, message: error.message)
        case let error as PayloadTooLarge: return LabelingError(status: .payloadTooLarge, message: error.message)
        default:
            let failure = EngineFailure(error)
            switch failure.kind {
            case .labelNotFound: return .labelNotFound
            case .internalError:
                logger.error("request failed", metadata: ["error": "\(error)"])
                return LabelingError(status: failure.status, message: "Internal server error")
            default: return LabelingError(status: failure.status, message: failure.message)
            }
        }
    }
}

enum LabelingEnvelope {
    static func success(_ content: JSONValue, extra: JSONObject = [:]) -> Response {
        var body: JSONObject = ["responseCode": 200, "message": "success", "content": content]
        for (key, value) in extra.entries { body[key] = value }
        return .json(.object(body))
    }
}

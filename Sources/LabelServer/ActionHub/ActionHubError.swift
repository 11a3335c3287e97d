import HTTPTypes
import Hummingbird
import LabelCommands
import LabelFormats
import Logging

/// ActionHub's (FastAPI's) error bodies: 403 `{"detail": "Could not validate API KEY"}`,
/// 422 `{"detail": [{"loc", "msg", "type"}]}`, 404 `{"detail": "…"}`.
struct ActionHubError: Error {
    var status: HTTPResponse.Status
    var detail: JSONValue

    static let invalidKey = ActionHubError(status: .forbidden, detail: "Could not validate API KEY")
    static let userNotFound = ActionHubError(status: .notFound, detail: "User not found")

    static func validation(_ errors: [InputError]) -> ActionHubError {
        ActionHubError(status: .unprocessable, detail: .array(errors.map(item)))
    }

    private static func item(_ error: InputError) -> JSONValue {
        let (message, type) = error.pydantic
        var location = error.location
        var object: JSONObject = [:]
        if case .malformedJSON(let syntax) = error.kind {
            // FastAPI reports JSON errors at ["body", <character position>].
            location = InputLocation(.body, [.index(syntax.offset)])
            object["loc"] = location.fastAPILocation
            object["msg"] = .string(message)
            object["type"] = .string(type)
            object["ctx"] = ["error": .string(syntax.message)]
            return .object(object)
        }
        object["loc"] = location.fastAPILocation
        object["msg"] = .string(message)
        object["type"] = .string(type)
        return .object(object)
    }

    var response: Response { .json(["detail": detail], status: status) }

    static func from(_ error: any Error, logger: Logger) -> ActionHubError {
        switch error {
        case let error as ActionHubError: return error
        // A failed submission answers as the command's own error would.
        case let failure as CommandFailure: return from(failure.underlying, logger: logger)
        case let error as InputError: return validation([error])
        case let error as PayloadTooLarge:
            return ActionHubError(status: .payloadTooLarge, detail: .string(error.message))
        default:
            let failure = EngineFailure(error)
            if failure.kind == .internalError {
                logger.error("request failed", metadata: ["error": "\(error)"])
                return ActionHubError(status: failure.status, detail: "Internal Server Error")
            }
            return ActionHubError(status: failure.status, detail: .string(failure.message))
        }
    }
}

/// Collects every validation problem of a request, as FastAPI reports them all at once.
struct ValidationErrors {
    private(set) var errors: [InputError] = []

    /// Runs `body`; on an `InputError` records it and returns `nil`.
    mutating func collect<T>(_ body: () throws(InputError) -> T) -> T? {
        do { return try body() } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func append(_ error: InputError) { errors.append(error) }

    /// Throws the 422 when anything was recorded.
    func check() throws(ActionHubError) {
        if !errors.isEmpty { throw ActionHubError.validation(errors) }
    }
}

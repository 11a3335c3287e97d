import HTTPTypes
import LabelCommands
import LabelIndex
import LabelQuery

/// An engine or system error, classified once so every family maps it to its own error body
/// with the same status.
struct EngineFailure: Sendable {
    enum Kind: Sendable, Equatable {
        case invalid
        case assetNotFound
        case labelNotFound
        case conflict
        case capacity
        case unavailable
        case internalError
    }

    var kind: Kind
    var message: String

    var status: HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .assetNotFound, .labelNotFound: .notFound
        case .conflict: .conflict
        case .capacity: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ error: any Error) {
        // A failed submission is classified by its failing command's own error.
        let error = (error as? CommandFailure)?.underlying ?? error
        switch error {
        case let error as LabelIndexError:
            message = error.description
            switch error {
            case .invalidLabelName, .invalidNamespaceName, .invalidAssetKey, .invalidAssetType, .valueTooLarge,
                .invalidWeight, .hierarchyCycle, .hierarchyTooDeep, .labelNameNotFound, .labelPathTooLong:
                kind = .invalid
            case .assetNotFound: kind = .assetNotFound
            case .labelNotFound: kind = .labelNotFound
            case .labelAlreadyExists: kind = .conflict
            case .labelIDsExhausted, .assetCapacityReached, .outOfSpace: kind = .capacity
            case .storage(.mapSizeLimitReached): kind = .capacity
            case .storage, .corrupted, .unsupportedSchema: kind = .internalError
            }
        case let error as QueryError:
            switch error {
            case .timeLimitExceeded, .cancelled: kind = .unavailable
            default: kind = .invalid
            }
            message = error.description
        case let error as WriteTooLarge:
            kind = .invalid
            message = error.description
        case let error as ReplicaBehind:
            kind = .unavailable
            message = error.message
        case let error as DuplicateWrite:
            kind = .conflict
            message = error.description
        case let error as WriteUnavailable:
            kind = .unavailable
            message = error.message
        default:
            kind = .internalError
            message = "internal error"
        }
    }
}

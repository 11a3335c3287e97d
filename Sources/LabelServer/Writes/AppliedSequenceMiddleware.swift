import HTTPTypes
import Hummingbird
import LabelIndex
import Logging
import Synchronization

/// Replicated nodes only: every response says what the node has applied (`X-Applied-Seq:
/// 0:120,1:98`, partition:sequence), and a request with `min_seq=P:S[,P:S…]` waits until the
/// node has applied those sequences before it runs, so a client that wrote through one node
/// reads its write on another. A node that does not catch up within `maximumWait` answers 503
/// (the family's error body) rather than a stale answer.
struct AppliedSequenceMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let header = HTTPField.Name("X-Applied-Seq")!
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!
    static let maximumWait: Duration = .seconds(5)

    let writePath: any WritePath
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            try await waitForMinimumSequences(request)
            let scope = try IdempotencyScope(request.headers[Self.idempotencyHeader])
            response = try await IdempotencyScope.$current.withValue(scope) { try await next(request, context) }
        } catch let error as InputError {
            let family = RouteFamily(endpointPath: context.endpointPath)
            response = Self.errorResponse(error, family: family, logger: logger)
        } catch let error as ReplicaBehind {
            let family = RouteFamily(endpointPath: context.endpointPath)
            response = Self.errorResponse(error, family: family, logger: logger)
        }
        if let applied = writePath.appliedSequenceHeader(for: nil) { response.headers[Self.header] = applied }
        return response
    }

    private func waitForMinimumSequences(_ request: Request) async throws {
        guard let wanted = request.uri.queryParameters["min_seq"] else { return }
        for (partition, sequence) in try Self.parse(String(wanted)) {
            guard await writePath.waitForApplied(partition: partition, sequence: sequence, timeout: Self.maximumWait)
            else {
                throw ReplicaBehind(
                    message:
                        "this node has not applied sequence \(sequence) of partition \(partition) within \(Self.maximumWait); retry, or read from another node"
                )
            }
        }
    }

    /// The error in the body of the family the request was routed to.
    static func errorResponse(_ error: any Error, family: RouteFamily, logger: Logger) -> Response {
        switch family {
        case .projectDiscovery: ProjectDiscoveryError.from(error, logger: logger).response
        case .labeling: LabelingError.from(error, logger: logger).response
        case .actionHub: ActionHubError.from(error, logger: logger).response
        case .query, .assets, .admin, .system, .unmatched: NativeError.from(error, logger: logger).response
        }
    }

    /// `P:S` pairs, comma-separated.
    static func parse(_ text: String) throws(InputError) -> [(UInt32, UInt64)] {
        var positions: [(UInt32, UInt64)] = []
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let partition = UInt32(parts[0]), let sequence = UInt64(parts[1]),
                positions.count < 256
            else {
                let expected = "must be partition:sequence pairs, comma-separated, e.g. 0:120,3:7"
                throw InputError(.query("min_seq"), .invalidValue(expected))
            }
            positions.append((partition, sequence))
        }
        return positions
    }
}

/// The node has not applied what a `min_seq` read asked for in time: 503 in every family.
struct ReplicaBehind: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A request's `Idempotency-Key`: each submission the request makes gets the key and its
/// position (`key#0`, `key#1`, … for the chunks of a bulk upsert), so a retry of the whole
/// request applies each of them once.
final class IdempotencyScope: Sendable {
    @TaskLocal static var current: IdempotencyScope?

    static let maximumLength = 128

    let key: String
    private let next = Mutex(0)

    /// `nil` without a key; a key must be 1 to 128 printable ASCII characters.
    convenience init?(_ header: String?) throws(InputError) {
        guard let header else { return nil }
        let printable = header.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        guard (1...Self.maximumLength).contains(header.utf8.count), printable else {
            let expected = "must be 1 to \(Self.maximumLength) printable ASCII characters"
            throw InputError(.header("Idempotency-Key"), .invalidValue(expected))
        }
        self.init(key: header)
    }

    private init(key: String) { self.key = key }

    /// The key of the request's next submission.
    func nextKey() -> String {
        let position = next.withLock { value in
            defer { value += 1 }
            return value
        }
        return "\(key)#\(position)"
    }
}

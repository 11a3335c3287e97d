import HTTPTypes
import Hummingbird
import Synchronization

/// The routes the server registered, so a request for a known path with another method gets
/// 405 and `Allow` instead of the router's 404 (`PUT /healthz`).
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: String, segments: [Substring])]>([])

    /// Records `routes` (`router.routes` once every route is registered).
    func set(_ routes: [(method: String, path: String)]) {
        let parsed = routes.map { ($0.method, $0.path.split(separator: "/")) }
        self.routes.withLock { $0 = parsed }
    }

    /// The methods registered for `path`, sorted.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let methods = routes.withLock { routes in
            routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { template, segment in
                        (template.hasPrefix("{") && template.hasSuffix("}")) || template == segment
                    }
            }.map(\.method)
        }
        return Array(Set(methods)).sorted()
    }
}

/// Answers 405 (`{"error":"method_not_allowed",…}` and `Allow`) for a request the router found
/// no route for whose path a route of another method serves.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError
            where error.status == .notFound && [nil, "NotFound"].contains(context.endpointPath)
        {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            var headers = HTTPFields()
            headers[.allow] = allowed.joined(separator: ", ")
            let message =
                "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))"
            return .json(
                [
                    "error": "method_not_allowed", "message": .string(message),
                    "allowed": .array(allowed.map { .string($0) }),
                ],
                status: .methodNotAllowed, headers: headers)
        }
    }
}

import Hummingbird

/// The family of a route, from its registered path: the unit of the request metrics.
enum RouteFamily: String, Sendable, CaseIterable {
    case projectDiscovery = "projectdiscovery"
    case labeling
    case actionHub = "actionhub"
    case query
    case assets
    case admin
    case system
    case unmatched

    init(endpointPath: String?) {
        guard let path = endpointPath, path.hasPrefix("/") else {
            self = .unmatched
            return
        }
        if path.hasPrefix("/v1/asset/") {
            self = .projectDiscovery
        } else if path.hasPrefix("/API/") {
            self = .labeling
        } else if path.hasPrefix("/v1/query") {
            self = .query
        } else if path.hasPrefix("/v1/assets") {
            self = .assets
        } else if path.hasPrefix("/v1/") {
            self = .admin
        } else if path == "/labels" || path == "/assets" || path.hasPrefix("/users/") {
            self = .actionHub
        } else if path == "/healthz" || path == "/metrics" || path == "/openapi.json" {
            self = .system
        } else {
            self = .unmatched
        }
    }
}

/// Counts and times every request per route family, and marks responses of an
/// unauthenticated (`--no-auth`) server.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let authenticationDisabled: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let clock = ContinuousClock()
        let start = clock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let elapsed = clock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.recordRequest(
            family: RouteFamily(endpointPath: context.endpointPath).rawValue, status: response.status.code,
            nanoseconds: nanoseconds)
        if authenticationDisabled { response.headers[HTTPFieldNames.authMode] = "disabled" }
        return response
    }
}

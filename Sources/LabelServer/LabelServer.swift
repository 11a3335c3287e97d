// LabelServer: the HTTP server of LabelIndex (Hummingbird 2).
//
// This target owns the wire: three existing label APIs (ProjectDiscovery-style `/v1/asset/...`,
// the Jotform-style Labeling API under `/API`, ActionHub `/labels` and `/assets`) mapped onto
// engine namespaces, the native `/v1/query`, `/v1/assets`, `/v1/jobs`, `/v1/stats`, `/v1/changes`, and
// `/healthz`, `/metrics`, `/openapi.json`. It also owns API keys (hashed in the store's
// application data), group commit (one writer thread, each request in a nested transaction),
// the read threads, queued bulk jobs and the Prometheus metrics. The engine and the query
// language know nothing of it.

import Foundation
import Hummingbird
import LabelIndex
import Logging
import NIOCore
import ServiceLifecycle

/// Runs the LabelIndex HTTP server.
public enum LabelServer {
    /// Serves `store` until SIGTERM or SIGINT, then stops accepting connections, finishes
    /// in-flight requests and queued jobs, commits, and returns. Logs (and prints to stderr)
    /// `listening on http://HOST:PORT` with the bound port once it accepts connections.
    public static func run(store: LabelStore, configuration: ServerConfiguration, logger: Logger) async throws {
        let server = try makeServer(store: store, configuration: configuration, logger: logger)
        do {
            try await server.application.runService()
        } catch {
            await server.runtime.shutdown()
            throw error
        }
        await server.runtime.shutdown()
    }

    /// The application `run` serves, for embedding it in another service group or for tests
    /// (`app.test(.router)` / `.live`). Its services stop the writer, the jobs and the read
    /// threads after the HTTP server on graceful shutdown.
    public static func makeApplication(
        store: LabelStore, configuration: ServerConfiguration, logger: Logger
    ) throws
        -> some ApplicationProtocol
    {
        try makeServer(store: store, configuration: configuration, logger: logger).application
    }

    struct Server {
        var application: Application<ConnectionAwareResponder>
        var runtime: ServerRuntime
        var router: Router<BasicRequestContext>
    }

    static func makeServer(store: LabelStore, configuration: ServerConfiguration, logger: Logger) throws -> Server {
        if configuration.authentication == .disabled {
            logger.warning(
                """
                AUTHENTICATION IS DISABLED (--no-auth): every request acts as account "dev" with every scope. \
                Use this only for local development; responses carry X-LabelIndex-Auth: disabled.
                """)
        }
        let runtime = try ServerRuntime(store: store, configuration: configuration, logger: logger)
        let router = try makeRouter(runtime: runtime)
        let host = configuration.host
        let application = Application(
            responder: ConnectionAwareResponder(router: router.buildResponder()),
            server: GuardedHTTP1Channel.builder(limits: configuration.connections, logger: logger),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.port), serverName: configuration.serverName),
            services: [ShutdownHook(name: "labelserver") { await runtime.shutdown() }],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                // Printed (not only logged) so scripts and tests can wait for it whatever the
                // log level; the log line is worded differently so a grep finds one line.
                FileHandle.standardError.write(Data("listening on http://\(host):\(port)\n".utf8))
                logger.info("server started", metadata: ["address": "http://\(host):\(port)"])
                configuration.onListening?(port)
            },
            logger: logger)
        return Server(application: application, runtime: runtime, router: router)
    }

    static func makeRouter(runtime: ServerRuntime) throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(
            middleware: MetricsMiddleware(
                metrics: runtime.metrics, authenticationDisabled: runtime.configuration.authentication == .disabled))
        let routes = RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: routes))
        if let writePath = runtime.configuration.writePath, writePath.appliedSequenceHeader(for: nil) != nil {
            router.add(middleware: AppliedSequenceMiddleware(writePath: writePath, logger: runtime.logger))
        }
        ProjectDiscoveryRoutes(runtime: runtime).register(on: router)
        LabelingRoutes(runtime: runtime).register(on: router)
        ActionHubRoutes(runtime: runtime).register(on: router)
        QueryRoutes(runtime: runtime).register(on: router)
        AssetRoutes(runtime: runtime).register(on: router)
        ChangeRoutes(runtime: runtime).register(on: router)
        AdminRoutes(runtime: runtime, openAPIDocument: try OpenAPIDocument.bytes()).register(on: router)
        routes.set(router.routes.map { ("\($0.method)", "\($0.path)") })
        return router
    }
}

/// Runs `action` when the service group shuts down gracefully; services shut down in reverse
/// order, so this runs after the HTTP server (listed after it) has finished its requests.
struct ShutdownHook: Service {
    let name: String
    let action: @Sendable () async -> Void

    func run() async throws {
        // Cancellation (rather than a graceful shutdown) also ends up here.
        try? await gracefulShutdown()
        await action()
    }
}

/// The bundled OpenAPI 3.1 document (`Resources/openapi.json`).
enum OpenAPIDocument {
    static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }
}

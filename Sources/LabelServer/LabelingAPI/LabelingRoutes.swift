import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex

/// The white-label Labeling API (J1–J8) under `/API` (case-sensitive) and its `/API/v1` alias.
///
/// Auth: `APIKEY` header (any case) or `apiKey` query parameter. Tenancy: the key's account,
/// namespace `<account>/default` (shared with ProjectDiscovery calls without `X-Team-Id`).
/// Label ids are the engine's label ids in decimal; the synthetic root of the tree is `"0"`.
/// Resources are typed assets (`form:251464995493876`).
struct LabelingRoutes {
    let runtime: ServerRuntime

    static let prefixes = ["/API", "/API/v1"]
    static let rootID = "0"

    func register(on router: Router<BasicRequestContext>) {
        for prefix in Self.prefixes {
            router.get("\(prefix)/user/labels") { request, _ in
                await respond(operation: "/user-labels") { grant in try await labelTree(request, grant) }(request)
            }
            router.post("\(prefix)/label") { request, _ in
                await respond(operation: "/label") { grant in try await createLabel(request, grant) }(request)
            }
            router.get("\(prefix)/label/{id}") { request, context in
                await respond(operation: "/label-id") { grant in try await getLabel(request, context, grant) }(request)
            }
            router.put("\(prefix)/label/{id}") { request, context in
                await respond(operation: "/label-id") { grant in try await updateLabel(request, context, grant) }(
                    request)
            }
            router.delete("\(prefix)/label/{id}") { request, context in
                await respond(operation: "/label-id") { grant in try await deleteLabel(context, grant) }(request)
            }
            router.put("\(prefix)/label/{id}/add-resources") { request, context in
                await respond(operation: "/label-id-add-resources") { grant in
                    try await changeResources(request, context, grant, adding: true)
                }(request)
            }
            router.put("\(prefix)/label/{id}/remove-resources") { request, context in
                await respond(operation: "/label-id-remove-resources") { grant in
                    try await changeResources(request, context, grant, adding: false)
                }(request)
            }
            router.get("\(prefix)/label/{id}/resources") { request, context in
                await respond(operation: "/label-id-resources") { grant in
                    try await listResources(request, context, grant)
                }(request)
            }
        }
    }

    /// Authenticates, then runs `body`, answering any error with the envelope.
    private func respond(
        operation: String, _ body: @escaping (AccessGrant) async throws -> Response
    )
        -> (Request) async -> Response
    {
        { request in
            do {
                let key: String?
                do {
                    key = try RequestCredential.key([
                        ("the APIKEY header", RequestCredential.values(request, HTTPFieldNames.labelingKey)),
                        ("?apiKey=", try request.queryFields().values("apiKey")),
                    ])
                } catch let conflict as ConflictingCredentials {
                    throw LabelingError(status: .unauthorized, message: conflict.message)
                }
                guard let grant = try runtime.authenticate(key), grant.allows(.default) else {
                    throw LabelingError.unauthorized(operation: operation)
                }
                return try await body(grant)
            } catch {
                return LabelingError.from(error, logger: runtime.logger).response
            }
        }
    }

    func labelID(_ context: BasicRequestContext) throws -> LabelID {
        guard let raw = UInt32(try context.pathParameter("id")), raw > 0 else {
            if isRoot(context) {
                throw InputError(.path("id"), .invalidValue("is the root of the label tree, which cannot be changed"))
            }
            throw LabelingError.labelNotFound
        }
        return LabelID(raw)
    }

    /// Whether the path names the tree's synthetic root (`0`, as `GET /user/labels` gives it).
    func isRoot(_ context: BasicRequestContext) -> Bool { (try? context.pathParameter("id")) == Self.rootID }

    func namespace(_ grant: AccessGrant) -> Namespace { grant.namespace(for: .default) }

    // MARK: J1

    func labelTree(_ request: Request, _ grant: AccessGrant) async throws -> Response {
        let query = try request.queryFields()
        let withResources =
            try query["addResources"].map { try QueryValues.bool($0, at: .query("addResources")) } ?? false
        let namespace = namespace(grant)
        let resourceLimit = runtime.limits.maxPageSize
        let tree = try await runtime.read { snapshot -> [JSONValue] in
            guard let reader = try snapshot.namespace(namespace) else { return [] }
            func render(_ nodes: [LabelNode]) throws -> [JSONValue] {
                try nodes.enumerated().map { position, node in
                    var object = LabelRepresentation.json(node.label, account: grant.account, order: position)
                    if withResources {
                        let assets = try reader.assets(labeled: node.label.id, limit: resourceLimit)
                        object["resources"] = .array(assets.map { LabelRepresentation.resource($0.key).json })
                    }
                    object["sublabels"] = .array(try render(node.children))
                    return .object(object)
                }
            }
            return try render(try reader.labelTree())
        }
        return LabelingEnvelope.success(["id": .string(Self.rootID), "name": "root", "sublabels": .array(tree)])
    }

    // MARK: J2–J5

    func createLabel(_ request: Request, _ grant: AccessGrant) async throws -> Response {
        let fields = try await LabelingFields.read(request, limit: runtime.limits.maxRequestBytes)
        guard let name = try fields.text("name") else {
            throw InputError(InputLocation(.body, [.key("name")]), .missing)
        }
        try NameRules.check(name, limit: runtime.maxLabelBytes, at: InputLocation(.body, [.key("name")]))
        let color = try Self.color(fields)
        let parent = try Self.parent(fields)
        let namespace = namespace(grant)
        let (label, order) = try await Self.parentChecked(parent) {
            try await runtime.submit(
                [.createLabel(namespace, NewLabel(name: name, color: color ?? nil, parent: parent ?? nil))],
                namespace: namespace
            ).result(0, \.label)
        }
        return LabelingEnvelope.success(.object(LabelRepresentation.json(label, account: grant.account, order: order)))
    }

    /// J3; the root (`0`) answers as J1 does: the whole tree under it.
    func getLabel(_ request: Request, _ context: BasicRequestContext, _ grant: AccessGrant) async throws -> Response {
        if isRoot(context) { return try await labelTree(request, grant) }
        let id = try labelID(context)
        let namespace = namespace(grant)
        let (label, order) = try await runtime.read { snapshot -> (Label, Int) in
            guard let reader = try snapshot.namespace(namespace), let label = try reader.label(id) else {
                throw LabelingError.labelNotFound
            }
            return (label, try reader.children(of: label.parent).firstIndex { $0.id == id } ?? 0)
        }
        return LabelingEnvelope.success(.object(LabelRepresentation.json(label, account: grant.account, order: order)))
    }

    func updateLabel(_ request: Request, _ context: BasicRequestContext, _ grant: AccessGrant) async throws -> Response
    {
        let id = try labelID(context)
        let fields = try await LabelingFields.read(request, limit: runtime.limits.maxRequestBytes)
        let name = try fields.text("name")
        if let name {
            try NameRules.check(name, limit: runtime.maxLabelBytes, at: InputLocation(.body, [.key("name")]))
        }
        let color = try Self.color(fields)
        let parent = try Self.parent(fields)
        // An empty `color` is a change (back to a palette color); a `null` member is absent.
        let colorSent = try fields.text("color") != nil
        guard name != nil || color != nil || parent != nil || colorSent else {
            throw InputError(.body, .invalidValue("changes nothing: send name, color, parent or parent_label_id"))
        }
        let namespace = namespace(grant)
        var update = LabelUpdate(name: name, color: color ?? nil)
        if let parent { update.parent = parent.map(LabelParent.label) ?? .root }
        let command = WriteCommand.updateLabel(namespace, id, update)
        let (label, order) = try await Self.parentChecked(parent, of: id) {
            try await runtime.submit([command], namespace: namespace).result(0, \.label)
        }
        return LabelingEnvelope.success(.object(LabelRepresentation.json(label, account: grant.account, order: order)))
    }

    /// J5: deletes the label and its whole subtree; linked assets are unlinked, never deleted.
    func deleteLabel(_ context: BasicRequestContext, _ grant: AccessGrant) async throws -> Response {
        let id = try labelID(context)
        let namespace = namespace(grant)
        try await runtime.submit([.deleteLabel(namespace, id)], namespace: namespace)
        return LabelingEnvelope.success(true)
    }

    /// `color` when given: `#RRGGBB`; empty means the default color.
    private static func color(_ fields: LabelingFields) throws(InputError) -> LabelColor?? {
        guard let text = try fields.text("color"), !text.isEmpty else { return nil }
        guard let color = LabelColor(hex: text) else {
            throw InputError(InputLocation(.body, [.key("color")]), .invalidValue("must be a color as #RRGGBB"))
        }
        return .some(color)
    }

    /// `parent` or `parent_label_id`: `nil` when absent, `.some(nil)` for the root.
    /// Both names are read and checked; when both are sent, `parent` is the one used.
    private static func parent(_ fields: LabelingFields) throws -> LabelID?? {
        var chosen: LabelID??
        for name in ["parent", "parent_label_id"] {
            guard let text = try fields.text(name) else { continue }
            let parent = try parentID(text, field: name)
            if chosen == nil { chosen = .some(parent) }
        }
        return chosen
    }

    /// `nil` for the root (empty, or any zero: `0`, `00`); a decimal no label can have is a
    /// label not found.
    private static func parentID(_ text: String, field: String) throws -> LabelID? {
        if text.isEmpty { return nil }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw InputError(InputLocation(.body, [.key(field)]), .invalidValue("must be a label id (decimal digits)"))
        }
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) { return nil }
        guard let raw = UInt32(text) else { throw LabelingError.parentNotFound(text) }
        return LabelID(raw)
    }

    /// Runs the write `body`; a missing parent is a 404 that names the parent, told apart from a
    /// missing label in the path (`label`, which the engine reports first when both are missing).
    private static func parentChecked<T>(
        _ parent: LabelID??, of label: LabelID? = nil, _ body: () async throws -> T
    ) async throws -> T {
        do { return try await body() } catch let failure as CommandFailure {
            if case .labelNotFound(let missing)? = failure.underlying as? LabelIndexError, missing != label,
                let parent, let id = parent, missing == id
            {
                throw LabelingError.parentNotFound(id.description)
            }
            throw failure
        }
    }
}

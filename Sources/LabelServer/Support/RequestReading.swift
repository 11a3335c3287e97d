import HTTPTypes
import Hummingbird
import LabelFormats

/// The body was larger than the route allows.
struct PayloadTooLarge: Error, Equatable {
    var limit: Int
    var message: String { "the request body is larger than the limit of \(limit) bytes" }
}

/// How a body is encoded, from its `Content-Type`.
enum BodyEncoding: Equatable {
    case json
    case ndjson
    case urlEncodedForm
    case multipartForm(boundary: String)
    /// No content type: treated as JSON by the JSON endpoints.
    case unspecified
    case other(String)

    init(contentType: String?) {
        guard let contentType else {
            self = .unspecified
            return
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        switch mediaType {
        case "application/json", "text/json": self = .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq": self = .ndjson
        case "application/x-www-form-urlencoded": self = .urlEncodedForm
        case "multipart/form-data":
            if let boundary = MultipartForm.boundary(fromContentType: contentType) {
                self = .multipartForm(boundary: boundary)
            } else {
                self = .other(mediaType)
            }
        case "": self = .unspecified
        default: self = mediaType.hasSuffix("+json") ? .json : .other(mediaType)
        }
    }
}

extension Request {
    /// The whole body, refusing more than `limit` bytes: a declared `Content-Length` over the
    /// limit is refused before reading anything, a chunked body as soon as it passes the limit.
    func collectBody(limit: Int) async throws -> [UInt8] {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw PayloadTooLarge(limit: limit)
        }
        var bytes: [UInt8] = []
        var iterator = body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            // The body stream fails only when NIO's HTTP/1.1 decoder rejects the framing
            // (a chunk size such as `zz`, `-5` or past 64 bits) or the connection drops: bad
            // input, answered 400 (the decoder has closed the connection's input either way).
            do { next = try await iterator.next() } catch {
                throw InputError(
                    .body, .malformedBody("its HTTP/1.1 framing is invalid (a malformed chunk size or transfer coding)")
                )
            }
            guard let buffer = next else { return bytes }
            guard bytes.count + buffer.readableBytes <= limit else { throw PayloadTooLarge(limit: limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
    }

    /// Query parameters, strictly decoded (Hummingbird's own parsing silently keeps bad escapes).
    func queryFields() throws(InputError) -> FormFields {
        guard let query = uri.query, !query.isEmpty else { return FormFields() }
        return try FormFields(urlEncoded: Array(query.utf8), source: .query)
    }

    var bodyEncoding: BodyEncoding { BodyEncoding(contentType: headers[.contentType]) }

    /// The first value of a header given by name (names are case-insensitive).
    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

/// Parses a JSON body into an `InputError` on failure, so each family reports it its way.
func parseJSONBody(_ bytes: [UInt8]) throws(InputError) -> JSONValue {
    do { return try JSONParser.parse(bytes) } catch { throw InputError(.body, .malformedJSON(error)) }
}

extension BasicRequestContext {
    /// The path parameter `name`, percent-decoded once (`form%3Aa%20b` → `form:a b`;
    /// `%2F` is a slash inside the parameter, not a separator), as every route reads it.
    /// `+` stays a plus: only query strings and forms write a space that way.
    func pathParameter(_ name: String) throws(InputError) -> String {
        let raw = parameters.get(name) ?? ""
        guard raw.contains("%") else { return raw }
        guard let decoded = PercentDecoding.decode(raw.utf8, plusAsSpace: false) else {
            throw InputError(.path(name), .invalidValue("has a malformed percent escape"))
        }
        guard UTF8Validation.isValid(decoded) else {
            throw InputError(.path(name), .invalidValue("is not valid UTF-8 once percent-decoded"))
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

import HTTPTypes
import Hummingbird
import LabelFormats

/// Header names the families read and write.
enum HTTPFieldNames {
    static let apiKey = HTTPField.Name("X-API-Key")!
    static let teamID = HTTPField.Name("X-Team-Id")!
    static let namespace = HTTPField.Name("X-Namespace")!
    static let labelingKey = HTTPField.Name("APIKEY")!
    static let actionHubKey = HTTPField.Name("actionhub-key")!
    static let programID = HTTPField.Name("program-id")!
    static let authMode = HTTPField.Name("X-LabelIndex-Auth")!
    static let location = HTTPField.Name("Location")!
    static let authorization = HTTPField.Name("Authorization")!
    static let snapshotSHA256 = HTTPField.Name(SnapshotFile.sha256Header)!
    static let snapshotSequences = HTTPField.Name(SnapshotFile.sequencesHeader)!
}

extension Response {
    /// A JSON response (`application/json; charset=utf-8`).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(
            JSONWriter.encode(value), contentType: "application/json; charset=utf-8", status: status, headers: headers)
    }

    static func bytes(
        _ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPResponse.Status {
    /// 413 (named `contentTooLarge` in newer HTTP types).
    static let payloadTooLarge = HTTPResponse.Status(code: 413, reasonPhrase: "Content Too Large")
    static let unprocessable = HTTPResponse.Status(code: 422, reasonPhrase: "Unprocessable Content")
}

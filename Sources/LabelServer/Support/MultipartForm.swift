import LabelFormats

/// Text fields of a `multipart/form-data` body (RFC 7578). File parts are read as text too:
/// the label endpoints take only short text fields, so a part that is not UTF-8 is an error.
enum MultipartForm {
    /// The boundary parameter of a `multipart/form-data` content type.
    static func boundary(fromContentType contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").dropFirst()
        for parameter in parameters {
            let trimmed = parameter.trimmingWhitespace()
            guard trimmed.lowercased().hasPrefix("boundary=") else { continue }
            var value = trimmed.dropFirst("boundary=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.isEmpty || value.utf8.count > 70 ? nil : String(value)
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) throws(InputError) -> FormFields {
        let delimiter = Array("--\(boundary)".utf8)
        var fields = FormFields()
        guard var position = find(delimiter, in: body, from: 0) else {
            throw InputError(.body, .malformedBody("no multipart boundary `\(boundary)` found"))
        }
        while true {
            position += delimiter.count
            // `--` after a delimiter closes the body.
            if body.count >= position + 2, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-")
            {
                return fields
            }
            guard let headerStart = skipLineBreak(body, at: position) else {
                throw InputError(.body, .malformedBody("a multipart delimiter is not followed by a line break"))
            }
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: headerStart) else {
                throw InputError(.body, .malformedBody("a multipart part has no end of headers"))
            }
            let headers = String(decoding: body[headerStart..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: body, from: contentStart) else {
                throw InputError(.body, .malformedBody("a multipart part is not terminated by the boundary"))
            }
            guard let name = fieldName(inHeaders: headers) else {
                throw InputError(.body, .malformedBody("a multipart part has no Content-Disposition name"))
            }
            let content = body[contentStart..<next]
            guard UTF8Validation.isValid(content) else {
                throw InputError(InputLocation(.body, [.key(name)]), .invalidValue("is not valid UTF-8"))
            }
            fields.append(name, String(decoding: content, as: UTF8.self))
            position = next + 2
        }
    }

    private static func fieldName(inHeaders headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            guard line.lowercased().hasPrefix("content-disposition:") else { continue }
            for parameter in line.split(separator: ";").dropFirst() {
                let trimmed = parameter.trimmingWhitespace()
                guard trimmed.hasPrefix("name=") else { continue }
                var value = trimmed.dropFirst("name=".count)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = value.dropFirst().dropLast()
                }
                return String(value)
            }
        }
        return nil
    }

    private static func skipLineBreak(_ body: [UInt8], at position: Int) -> Int? {
        if body.count >= position + 2, body[position] == 0x0D, body[position + 1] == 0x0A { return position + 2 }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

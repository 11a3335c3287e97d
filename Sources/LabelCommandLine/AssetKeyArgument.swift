import ArgumentParser
import LabelIndex

/// An asset id on the command line: an integer (`123456`) or a typed id (`form:251464995493876`),
/// the same text `AssetKey.description` prints.
package struct AssetKeyArgument: ExpressibleByArgument, CustomStringConvertible {
    package let key: AssetKey

    package init?(argument: String) {
        if let id = Int64(argument) {
            key = .id(id)
            return
        }
        guard let colon = argument.firstIndex(of: ":") else { return nil }
        let type = String(argument[..<colon])
        let id = String(argument[argument.index(after: colon)...])
        guard !type.isEmpty, !id.isEmpty else { return nil }
        key = .typed(type: type, id: id)
    }

    package var description: String { key.description }

    package static var defaultValueDescription: String { "123 or type:id" }
}

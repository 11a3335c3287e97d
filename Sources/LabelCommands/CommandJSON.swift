import Foundation
import LabelIndex

/// `CommandCodec.json`: one command as a JSON object, for the changes feed.
enum CommandJSON {
    static func render(_ command: WriteCommand) -> String {
        var object = Object()
        switch command {
        case .upsertAsset(let namespace, let key, let attributes, let labels):
            object.header("upsert_asset", namespace)
            object.raw("asset", string(key.description))
            object.raw("name", string(attributes.name))
            if let type = attributes.assetType { object.raw("asset_type", string(type)) }
            if let date = attributes.createdAt { object.raw("created_at", number(date.timeIntervalSince1970 * 1000)) }
            if let date = attributes.updatedAt { object.raw("updated_at", number(date.timeIntervalSince1970 * 1000)) }
            if let metadata = attributes.metadata {
                object.raw("metadata_base64", string(Data(metadata).base64EncodedString()))
            }
            if let labels { object.raw("labels", assignments(labels)) }
        case .ensureAsset(let namespace, let key):
            object.header("ensure_asset", namespace)
            object.raw("asset", string(key.description))
        case .deleteAsset(let namespace, let key):
            object.header("delete_asset", namespace)
            object.raw("asset", string(key.description))
        case .changeLabels(let namespace, let key, let change):
            object.header("change_labels", namespace)
            object.raw("asset", string(key.description))
            object.change(change)
        case .createLabel(let namespace, let new):
            object.header("create_label", namespace)
            object.raw("name", string(new.name))
            if let color = new.color { object.raw("color", string(color.hex)) }
            if let parent = new.parent { object.raw("parent", "\(parent.rawValue)") }
            if let weight = new.weight { object.raw("weight", number(weight)) }
        case .updateLabel(let namespace, let id, let update):
            object.header("update_label", namespace)
            object.raw("label", "\(id.rawValue)")
            if let name = update.name { object.raw("name", string(name)) }
            if let color = update.color { object.raw("color", string(color.hex)) }
            switch update.parent {
            case nil: break
            case .root: object.raw("parent", "null")
            case .label(let parent): object.raw("parent", "\(parent.rawValue)")
            }
            if let weight = update.weight { object.raw("weight", weight.map(number) ?? "null") }
        case .setLabelWeight(let namespace, let name, let weight):
            object.header("set_label_weight", namespace)
            object.raw("name", string(name))
            object.raw("weight", weight.map(number) ?? "null")
        case .deleteLabel(let namespace, let id):
            object.header("delete_label", namespace)
            object.raw("label", "\(id.rawValue)")
        case .link(let namespace, let id, let keys, let createMissingAssets):
            object.header("link", namespace)
            object.raw("label", "\(id.rawValue)")
            object.raw("assets", "[" + keys.map { string($0.description) }.joined(separator: ",") + "]")
            object.raw("create_missing_assets", createMissingAssets ? "true" : "false")
        case .unlink(let namespace, let id, let keys):
            object.header("unlink", namespace)
            object.raw("label", "\(id.rawValue)")
            object.raw("assets", "[" + keys.map { string($0.description) }.joined(separator: ",") + "]")
        case .changeLabelsMatching(let namespace, let selector, let change):
            object.header("change_labels_matching", namespace)
            object.raw("query", string(selector.query))
            if selector.integerKeysOnly { object.raw("integer_keys_only", "true") }
            if let filter = selector.attributes { object.raw("attributes", self.filter(filter)) }
            if let range = selector.ordinals {
                object.raw("ordinals", "[\(range.lowerBound),\(range.upperBound)]")
            }
            object.change(change)
        case .setApplicationValue(let key, let value):
            object.raw("type", string("set_application_value"))
            object.key(key)
            object.raw("value_base64", value.map { string(Data($0).base64EncodedString()) } ?? "null")
        case .removeApplicationValue(let key):
            object.raw("type", string("remove_application_value"))
            object.key(key)
        }
        return object.text + "}"
    }

    struct Object {
        var text = "{"

        mutating func raw(_ name: String, _ value: String) {
            if text.count > 1 { text += "," }
            text += CommandJSON.string(name) + ":" + value
        }

        mutating func header(_ type: String, _ namespace: Namespace) {
            raw("type", CommandJSON.string(type))
            raw("namespace", CommandJSON.string(namespace.name))
        }

        mutating func key(_ key: [UInt8]) {
            if let text = String(validating: key, as: UTF8.self), !text.contains("\u{0}") {
                raw("key", CommandJSON.string(text))
            } else {
                raw("key_base64", CommandJSON.string(Data(key).base64EncodedString()))
            }
        }

        mutating func change(_ change: LabelChange) {
            switch change {
            case .append(let labels):
                raw("change", CommandJSON.string("append"))
                raw("labels", CommandJSON.assignments(labels))
            case .replace(let labels):
                raw("change", CommandJSON.string("replace"))
                raw("labels", CommandJSON.assignments(labels))
            case .remove(let names):
                raw("change", CommandJSON.string("remove"))
                raw("labels", "[" + names.map(CommandJSON.string).joined(separator: ",") + "]")
            }
        }
    }

    static func assignments(_ labels: [LabelAssignment]) -> String {
        "["
            + labels.map { label in
                label.weight.map { "{\"name\":\(string(label.name)),\"weight\":\(number($0))}" }
                    ?? "{\"name\":\(string(label.name))}"
            }.joined(separator: ",") + "]"
    }

    static func filter(_ filter: AttributeFilter) -> String {
        var object = Object()
        if let text = filter.nameContains { object.raw("name_contains", string(text)) }
        if let value = filter.createdFrom { object.raw("created_from", "\(value)") }
        if let value = filter.createdBefore { object.raw("created_before", "\(value)") }
        if let value = filter.notUpdatedSince { object.raw("not_updated_since", "\(value)") }
        func members(_ members: [AttributeFilter.Member]) -> String {
            "{"
                + members.map { string($0.key) + ":[" + $0.values.map(string).joined(separator: ",") + "]" }
                .joined(separator: ",") + "}"
        }
        if !filter.stringMembers.isEmpty { object.raw("string_members", members(filter.stringMembers)) }
        if !filter.anyOfMembers.isEmpty { object.raw("any_of_members", members(filter.anyOfMembers)) }
        if !filter.trueMembers.isEmpty {
            object.raw("true_members", "[" + filter.trueMembers.map(string).joined(separator: ",") + "]")
        }
        return object.text + "}"
    }

    /// A finite number as JSON; NaN and infinities (which apply rejects) as `null`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

import Yams

extension Node {
    /// The 1-based line the node starts on.
    var line: Int? { mark?.line }

    /// The node's resolved type (`str`, `int`, `null`…), as YAML's implicit typing decided it.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    /// Whether the node is YAML's null (`~`, `null`, or nothing at all), which the spec treats as an absent key.
    var isNull: Bool {
        guard case .scalar = self else { return false }
        return tagName == .null
    }

    /// The node's text when it is a non-null scalar, exactly as written (so `1.0` stays `1.0`).
    var scalarText: String? {
        guard case let .scalar(scalar) = self, !isNull else { return nil }
        return scalar.string
    }

    /// What the node is, in words, for messages such as "expected a list, found a mapping".
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch tagName {
            case .null: return "nothing (null)"
            case .bool: return "a boolean"
            case .int, .float: return "a number"
            default: return "text"
            }
        }
    }
}

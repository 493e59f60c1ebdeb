/// Where a value sits in a spec document, written the way a reader navigates it: `steps[0].env.HF_TOKEN`.
struct SpecKeyPath: CustomStringConvertible {
    private enum Component {
        case key(String)
        case index(Int)
    }

    private var components: [Component] = []

    /// The document itself.
    static let root = SpecKeyPath()

    /// The path of the value under `key` of the mapping at this path.
    func appending(_ key: String) -> SpecKeyPath {
        var path = self
        path.components.append(.key(key))
        return path
    }

    /// The path of item `index` (0-based, as users count in JSON) of the list at this path.
    func appending(index: Int) -> SpecKeyPath {
        var path = self
        path.components.append(.index(index))
        return path
    }

    /// Keys made of letters, digits, `_` and `-` are joined with dots; any other key is quoted, so that a file
    /// named `a.b` is not read as two levels.
    var description: String {
        var text = ""
        for component in components {
            switch component {
            case let .index(index):
                text += "[\(index)]"
            case let .key(key):
                if !key.isEmpty && key.unicodeScalars.allSatisfy(Self.isPlainKeyScalar) {
                    text += text.isEmpty ? key : ".\(key)"
                } else {
                    text += "[\"\(key.escapedForSpecMessage)\"]"
                }
            }
        }
        return text
    }

    private static func isPlainKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": return true
        default: return false
        }
    }
}

import Yams

/// The two spec formats the loader accepts, told apart by their steps so that no marker is needed in the file.
enum SpecShape {
    /// The runner's own format (`run`, `env`, `files`).
    case native
    /// The NeMo Platform job spec shape (`executor`, `environment`).
    case nemoPlatform

    /// The shape of the document `root`: the platform shape when any step has an `executor`, or an
    /// `environment` list; else the native one (which also reports documents that are neither). A native step
    /// with a misnamed `environment:` mapping stays native, so its author hears about the key, not about a format
    /// they did not mean.
    static func detect(_ root: Node) -> SpecShape {
        guard case let .mapping(job) = root else { return .native }
        for (key, value) in job where key.scalarText.map(SpecDocument.originalKey) == "steps" {
            guard case let .sequence(steps) = value else { continue }
            for case let .mapping(step) in steps where step.contains(where: isPlatformStepEntry) {
                return .nemoPlatform
            }
        }
        return .native
    }

    private static func isPlatformStepEntry(_ entry: (key: Node, value: Node)) -> Bool {
        switch entry.key.scalarText.map(SpecDocument.originalKey) {
        case "executor": return true
        case "environment":
            if case .sequence = entry.value { return true }
            return false
        default: return false
        }
    }
}

import Foundation
import SecretStore

/// Small renderings shared by the job commands.
enum JobFormatting {
    /// `3.2 s`, `4 min 05 s`, or `-` while the run has no end.
    static func duration(from start: Timestamp, to end: Timestamp?) -> String {
        guard let end else { return "-" }
        let seconds = Double(end.microsecondsSinceEpoch - start.microsecondsSinceEpoch) / 1_000_000
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }
}

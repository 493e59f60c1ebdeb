import Logging
import SecretStore

/// A logger that drops everything, for stores the tests open outside a server: their warnings (the
/// development key) would only clutter the test output.
let quietLogger = Logger(label: "quiet", factory: { _ in SwiftLogNoOpLogHandler() })

/// Opens the store in `dataDirectory` as `jobrunner` would (the config file's providers, else the development
/// key), logging nothing.
func openStore(_ dataDirectory: String, config: String? = nil) throws -> SecretStore {
    try SecretStore.open(settings: StoreSettings(dataDirectory: dataDirectory, configFile: config), environment: [:], logger: quietLogger)
}

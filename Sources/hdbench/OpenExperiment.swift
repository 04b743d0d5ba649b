import Foundation
import OptimizerSweep

/// Opens the experiment in `path` read-only (``ExperimentStore/open(existing:)``) and prints a
/// warning on standard error for each stored row that cannot be read and is left out.
func openExperiment(_ path: String) throws -> ExperimentStore {
    let store = try ExperimentStore.open(existing: URL(fileURLWithPath: path).standardizedFileURL)
    for line in try store.unreadableRows() {
        printToStandardError("warning: \(ExperimentStore.fileName): \(line)")
    }
    return store
}

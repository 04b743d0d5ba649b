public import Foundation

/// A minimal offline `azureml.core.Run` for HyperDrive v1 scripts (HyperDriveSemantics.md
/// §Logging metrics): `from azureml.core import Run; run = Run.get_context();
/// run.log("accuracy", x)` works unchanged, and what it logs reaches the sweep.
///
/// Written into `<experiment>/azureml-shim/` and put first on every trial's `PYTHONPATH`, so it
/// **shadows an installed azureml-core inside trials** (other `azureml.*` packages stay
/// importable: the `azureml` package extends its path). Turned off with
/// `--no-azureml-run-shim` or `x-hdbench: {azureml_run_shim: false}`.
///
/// What it does: `log(name, value)` appends `{"name", "value", "step"}` to
/// `$HDBENCH_METRICS_FILE` (the JSON-lines channel; without it, prints `name=value`);
/// `log_list(name, values)` logs each value in turn; `log_row(name, **columns)` logs each
/// column as `name.column` (table metrics have no scalar meaning for a sweep);
/// `log_table` likewise for each row. Tags, properties, images, uploads, `complete`, `fail`
/// and `flush` are accepted and do nothing (an image or file upload is copied into
/// `./outputs`); anything else of `azureml.core` raises an ImportError that names the switch.
public enum AzureMLRunShim {
    /// The folder inside the experiment folder.
    public static let folderName = "azureml-shim"

    /// Writes the module under `experiment` (again each run: it belongs to hdbench, not to the
    /// experiment) and returns the folder to put on `PYTHONPATH`.
    public static func install(in experiment: URL) throws -> URL {
        let root = experiment.appendingPathComponent(folderName)
        let core = root.appendingPathComponent("azureml").appendingPathComponent("core")
        try FileManager.default.createDirectory(at: core, withIntermediateDirectories: true)
        try packageSource.write(to: root.appendingPathComponent("azureml/__init__.py"), atomically: true, encoding: .utf8)
        try coreSource.write(to: core.appendingPathComponent("__init__.py"), atomically: true, encoding: .utf8)
        try runSource.write(to: core.appendingPathComponent("run.py"), atomically: true, encoding: .utf8)
        return root
    }

    static let packageSource = """
        # hdbench's offline azureml package: `azureml.core.Run` for HyperDrive v1 scripts.
        # Other azureml.* packages installed elsewhere stay importable.
        __path__ = __import__("pkgutil").extend_path(__path__, __name__)

        """

    static let coreSource = """
        # hdbench: a minimal offline azureml.core with Run only (see run.py).
        from .run import Run

        __all__ = ["Run"]


        def __getattr__(name):
            raise ImportError(
                f"azureml.core.{name} is not available inside hdbench trials: hdbench's offline "
                "azureml.core provides Run only; run the sweep with --no-azureml-run-shim to use "
                "an installed azureml-core"
            )

        """

    static let runSource = #"""
        # hdbench: a minimal offline azureml.core.Run. Metrics go to the sweep through the
        # JSON-lines file named by HDBENCH_METRICS_FILE (or stdout as name=value without it).
        import json
        import numbers
        import os
        import shutil
        import sys
        import threading

        _lock = threading.Lock()
        _steps = {}


        def _emit(name, value):
            name = str(name)
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, numbers.Real):
                value = float(value)
            elif isinstance(value, str):
                try:
                    value = float(value)
                except ValueError:
                    print(f"hdbench azureml shim: {name}={value!r} is not a number; not recorded", file=sys.stderr, flush=True)
                    return
            else:
                try:
                    value = float(value)  # numpy scalars and the like
                except (TypeError, ValueError):
                    print(f"hdbench azureml shim: {name} of type {type(value).__name__} is not a number; not recorded", file=sys.stderr, flush=True)
                    return
            with _lock:
                step = _steps.get(name, 0) + 1
                _steps[name] = step
                path = os.environ.get("HDBENCH_METRICS_FILE")
                if path:
                    text = json.dumps({"name": name, "value": value, "step": step})
                    with open(path, "a") as f:
                        f.write(text + "\n")
                else:
                    print(f"{name}={value!r}", flush=True)


        class _Experiment:
            def __init__(self, name):
                self.name = name
                self.workspace = None


        class Run:
            """An offline run of an hdbench trial; what it logs reaches the sweep."""

            _context = None

            def __init__(self):
                self.id = os.environ.get("HDBENCH_TRIAL_ID", "offline")
                self.number = int(self.id) if self.id.isdigit() else 0
                self.experiment = _Experiment(os.environ.get("HDBENCH_EXPERIMENT", "hdbench"))
                self.parent = None
                self.tags = {}
                self.properties = {}
                self.input_datasets = {}
                self.display_name = self.id

            @classmethod
            def get_context(cls, allow_offline=True, **kwargs):
                if cls._context is None:
                    cls._context = cls()
                return cls._context

            def log(self, name, value, description="", step=None):
                _emit(name, value)

            def log_list(self, name, value, description=""):
                for item in value:
                    _emit(name, item)

            def log_row(self, name, description=None, **kwargs):
                for column, value in kwargs.items():
                    _emit(f"{name}.{column}", value)

            def log_table(self, name, value, description=""):
                columns = list(value.keys())
                for row in zip(*(value[c] for c in columns)):
                    for column, item in zip(columns, row):
                        _emit(f"{name}.{column}", item)

            def log_accuracy_table(self, name, value, description=""):
                pass

            def log_confusion_matrix(self, name, value, description=""):
                pass

            def log_predictions(self, name, value, description=""):
                pass

            def log_residuals(self, name, value, description=""):
                pass

            def log_image(self, name, path=None, plot=None, description=""):
                if path and os.path.isfile(path):
                    os.makedirs("outputs", exist_ok=True)
                    shutil.copy(path, os.path.join("outputs", os.path.basename(path)))

            def upload_file(self, name, path_or_stream, datastore_name=None):
                if isinstance(path_or_stream, str) and os.path.isfile(path_or_stream):
                    target = os.path.join("outputs", name)
                    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
                    if os.path.abspath(path_or_stream) != os.path.abspath(target):
                        shutil.copy(path_or_stream, target)

            def upload_files(self, names, paths, **kwargs):
                for name, path in zip(names, paths):
                    self.upload_file(name, path)

            def upload_folder(self, name, path, **kwargs):
                pass

            def tag(self, key, value=None):
                self.tags[key] = value

            def set_tags(self, tags):
                self.tags.update(tags)

            def get_tags(self):
                return dict(self.tags)

            def add_properties(self, properties):
                self.properties.update(properties)

            def get_properties(self):
                return dict(self.properties)

            def get_metrics(self, name=None, **kwargs):
                return {}

            def get_status(self):
                return "Running"

            def flush(self, timeout_seconds=300):
                pass

            def complete(self, _set_status=True):
                pass

            def fail(self, error_details=None, error_code=None, _set_status=True):
                pass

            def cancel(self):
                pass

            def __repr__(self):
                return f"Run(id={self.id!r}, hdbench offline)"

        """#
}

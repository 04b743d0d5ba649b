# Stands in for an installed azureml-core outside Azure: an offline run that drops what is
# logged (as the real one does), so a metric that arrives came through hdbench's shim.
class Run:
    @classmethod
    def get_context(cls, allow_offline=True):
        return cls()

    def log(self, name, value, description=""):
        print("fake azureml-core: offline run, not logged", flush=True)

    def log_list(self, name, value, description=""):
        pass

    def log_row(self, name, description=None, **kwargs):
        pass

    def complete(self):
        pass


class Workspace:
    pass
